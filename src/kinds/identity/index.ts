export { projectKind } from './project.js';
export { userKind, throwawayPassword } from './user.js';
export { roleKind } from './role.js';
export { roleAssignmentKind, assignmentId } from './role-assignment.js';
export { adminMembershipKind } from './admin-membership.js';
export { passwordHashKind, type PasswordOptions } from './password-hash.js';
export { resetPasswordFile, type ResetPassword, type ResetPasswordSink } from './reset-passwords.js';
export { KeystoneMarked, type WithMarker, type ProjectCreate, type UserCreate } from './keystone-marked.js';
