/**
 * Team mode's roles (one table of users, each with a role and, for 部门, the departments it works for):
 * 管理员 manages users and can do everything, 协作办 works on all evidence, reviews and builds, 部门 is scoped to its
 * departments, 领导 reads (总览 and the review edition).
 */
export const ROLES = ['admin', 'office', 'department', 'leader'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAME: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '管理员', en: 'Administrator' },
  office: { zh: '协作办', en: 'Coordination office' },
  department: { zh: '部门', en: 'Department' },
  leader: { zh: '领导', en: 'Leader' },
};

/** Who makes a call: absent on the desktop and in the CLI (the person at the PC may do everything). */
export type Actor = {
  /** Login name, unique in the workspace. */
  name: string;
  role: Role;
  /** For the 部门 role: the departments (as named in the framework's 牵头单位) it may see and upload into. */
  departments: string[];
};

/** What a contract call knows about its caller. */
export type CallContext = { actor?: Actor };
