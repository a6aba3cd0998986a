/** `llmo auth …`: each subcommand lives in ./auth/; this file is what auth-command.ts lazy-loads. */
export { authAdd } from './add.js';
export { authInit } from './init.js';
export { authList } from './list.js';
export { authLock } from './lock.js';
export { authPasswd } from './passwd.js';
export { authRemove } from './remove.js';
export { authStatus } from './status.js';
export { authTest } from './test-keys.js';
export { authUnlock } from './unlock.js';
