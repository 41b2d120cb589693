import { createParameterDecorator } from 'type-graphql';

/**
 * The `orderBy` argument of a list: nullable with a default (`orderBy: DatasetOrder = TITLE`),
 * a shape Relay's compiler accepts when a fragment mirrors it as an argument (it refuses a
 * non-null argument with a default). Absent or an explicit `null` both mean the default: the
 * resolver always receives a value of the enum.
 */
export function OrderByArg<E extends Record<string, string>>(enumType: E, defaultValue: E[keyof E], description: string): ReturnType<typeof createParameterDecorator> {
  return createParameterDecorator<object>(
    ({ args }) => (args.orderBy as E[keyof E] | null | undefined) ?? defaultValue,
    {
      arg: {
        name: 'orderBy',
        typeFunc: () => enumType,
        options: { nullable: true, defaultValue, description: `${description} Null or absent: ${defaultValue}.` },
      },
    },
  );
}
