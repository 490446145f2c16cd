/** Staff: the organisation console (组织管理); its sections are paths under it. */
export const orgPath = '/org';
