import { registerEnumType } from 'type-graphql';

export enum BusinessKind {
  ENTERPRISE = 'ENTERPRISE',
  HOUSEHOLD_BUSINESS = 'HOUSEHOLD_BUSINESS',
}
registerEnumType(BusinessKind, { name: 'BusinessKind', description: 'An enterprise (doanh nghiệp) or a household business (hộ kinh doanh).' });

export enum LegalForm {
  LLC_ONE_MEMBER = 'LLC_ONE_MEMBER',
  LLC_MULTI_MEMBER = 'LLC_MULTI_MEMBER',
  JOINT_STOCK = 'JOINT_STOCK',
  PRIVATE = 'PRIVATE',
  PARTNERSHIP = 'PARTNERSHIP',
  HOUSEHOLD = 'HOUSEHOLD',
}
registerEnumType(LegalForm, { name: 'LegalForm' });

export enum BusinessStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  DISSOLVED = 'DISSOLVED',
}
registerEnumType(BusinessStatus, { name: 'BusinessStatus' });

export enum BusinessOrder {
  NAME = 'NAME',
  REGISTERED_ON = 'REGISTERED_ON',
  CHARTER_CAPITAL = 'CHARTER_CAPITAL',
}
registerEnumType(BusinessOrder, { name: 'BusinessOrder', description: 'NAME ascending; REGISTERED_ON newest first; CHARTER_CAPITAL largest first.' });
