/** The roles part of the catalogue, in English: the role and level names <consult-workflow> and <consult-staff-actions> show. Its keys are the part's; ../zh-CN/roles.ts must have every one. */
export const messages = {
  'staff.role.resident': 'Resident',
  'staff.role.representative': 'Residents’ representative',
  'staff.role.member': 'Council member',
  'staff.role.convener': 'Convener',
  'staff.role.department': 'Department',
  'staff.role.stakeholder': 'Stakeholder',
  'staff.role.expert': 'Expert',
  'staff.role.notable': 'Respected local figure',
  'staff.role.grid': 'Grid worker',
  'staff.role.government': 'Party and government',
  'staff.role.admin': 'Administrator',

  'staff.level.village': 'village',
  'staff.level.community': 'community',
  'staff.level.town': 'town',
  'staff.level.street': 'street',
  'staff.level.park': 'industrial park',
  'staff.level.district': 'district',
  'staff.level.county': 'county',
  'staff.level.city': 'city',
  'staff.level.sector': 'sector group',
};
