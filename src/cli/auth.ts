/** `llmo auth …`: each subcommand lives in ./auth/; this file is what auth-command.ts lazy-loads. */
export { authAdd } from './auth/add.js';
export { authInit } from './auth/init.js';
export { authList } from './auth/list.js';
export { authLock } from './auth/lock.js';
export { authPasswd } from './auth/passwd.js';
export { authRemove } from './auth/remove.js';
export { authStatus } from './auth/status.js';
export { authTest } from './auth/test-keys.js';
export { authUnlock } from './auth/unlock.js';
