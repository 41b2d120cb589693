/**
 * What counts as a digital technology enterprise here: an enterprise (not a household business)
 * whose main VSIC 2018 industry is one of the ICT industries below: hardware and electronics
 * manufacturing, ICT wholesale and retail, software publishing, telecommunications, programming
 * and IT services, data processing and portals. The seed sets `digital_tech` from this list.
 */
export const DIGITAL_TECH_INDUSTRY_CODES: readonly string[] = [
  '2610', '2620', '2630', '2640', '4651', '4652', '4741', '5820', '6110', '6120', '6130', '6190', '6201', '6202', '6209',
  '6311', '6312',
];

/** The article's figure: 2.3 digital technology enterprises per 1,000 residents. */
export const DIGITAL_TECH_PER_THOUSAND_RESIDENTS = 2.3;
