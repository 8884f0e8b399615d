// The built-in kinds as builtinKinds() composes them for a config, with quick polls so that
// the simulator's millisecond transitions are seen in milliseconds (the defaults poll every
// few seconds, which is what a real cloud needs).
import type { PumphouseConfig } from '../../src/config/index.js';
import { resetPasswordFile } from '../../src/kinds/identity/index.js';
import { kindsPart1FromConfig } from '../../src/kinds/index-part-1.js';
import { dataComputeKinds } from '../../src/kinds/index-part-2.js';
import { kindsPart3FromConfig } from '../../src/kinds/index-part-3.js';
import { kindRegistry, type KindRegistry } from '../../src/kinds/registry.js';
import { ownerPasswordRecoveryFile } from '../../src/kinds/settings/index.js';

export function torturedKinds(config: PumphouseConfig, passwordsPath: string, ownerPasswordsPath: string): KindRegistry {
  const part1 = kindsPart1FromConfig(config, { resetPasswords: resetPasswordFile(passwordsPath), ownerPasswordRecovery: ownerPasswordRecoveryFile(ownerPasswordsPath) });
  return kindRegistry({
    handlers: [...part1.handlers, ...dataComputeKinds({ pollIntervalMs: 10 }), ...kindsPart3FromConfig(config, { pollIntervalMs: 10, maxPollIntervalMs: 50 })],
    preconditions: part1.preconditions,
    secrets: part1.secrets,
    recover: (reporter) => part1.recover(reporter),
    close: () => part1.close(),
  });
}
