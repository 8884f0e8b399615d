import { Command, Option } from 'commander';
import { PumphouseError } from '../errors/index.js';
import { makeReporter, wantsColor, type CommandContext, type GlobalOptions } from './context.js';

/** A command module: `src/cli/commands/<name>.ts` exports `run`. Loaded only when invoked. */
export interface CommandModule {
  run(args: readonly string[], options: Record<string, unknown>, ctx: CommandContext): Promise<void>;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export type PumphouseProgram = Command & { exitCodeFromCommand(): number };

/** Declares every command; the code behind each loads lazily so `--help` stays instant. */
export function buildProgram(signal: AbortSignal): PumphouseProgram {
  let exitCode = 0;
  const program = new Command('pumphouse') as PumphouseProgram;
  program.exitCodeFromCommand = () => exitCode;
  program
    .description('Plan and apply forklift upgrades of OpenStack clouds: tenants, data and hosts.')
    .version(process.env.npm_package_version ?? '0.1.0')
    .option('--json', 'emit machine-readable JSON lines instead of human output')
    .option('--debug', 'show stack traces on errors')
    .option('-v, --verbose', 'show debug events')
    .option('--no-color', 'disable colours')
    .showHelpAfterError()
    .exitOverride();

  const lazy = (name: string) =>
    async function (this: Command, ...raw: unknown[]): Promise<void> {
      const cmd = raw[raw.length - 1] as Command;
      const options = cmd.opts();
      const args = raw.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a.map(String) : a === undefined ? [] : [String(a)]));
      const globals = program.opts<GlobalOptions>();
      const ctx: CommandContext = {
        stdout: process.stdout,
        stderr: process.stderr,
        reporter: makeReporter(globals, process.stdout),
        json: Boolean(globals.json),
        color: wantsColor(globals, process.stdout),
        signal,
        exitCode: 0,
      };
      let mod: CommandModule;
      try {
        mod = (await import(`./commands/${name}.js`)) as CommandModule;
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(`commands/${name}`)) {
          throw new PumphouseError('PH_USAGE', `the '${name}' command is not available in this build`);
        }
        throw err;
      }
      try {
        await mod.run(args, options, ctx);
      } finally {
        ctx.reporter.close?.();
      }
      exitCode = ctx.exitCode;
    };

  const config = (): Option => new Option('-c, --config <file>', 'config file naming the clouds').default('pumphouse.yaml');
  const manifest = (): Option => new Option('-m, --manifest <file>', 'desired-state manifest').default('manifest.yaml');
  const state = (): Option => new Option('--state <file>', 'state file').default('pumphouse.state.json');

  program
    .command('validate')
    .description('check the config and manifest files without contacting any cloud')
    .addOption(config())
    .addOption(manifest())
    .action(lazy('validate'));

  program
    .command('plan')
    .description('discover the clouds, diff them against the manifest and write a reviewable plan')
    .addOption(config())
    .addOption(manifest())
    .addOption(state())
    .option('-o, --out <file>', 'write the plan file here (also accepted: -out FILE)')
    .option('--detailed-exitcode', 'exit 2 when the plan has changes, 0 when it has none')
    .option('--target <address>', 'plan only this address and what it needs (repeatable)', collect, [])
    .option('--exclude <address>', 'leave this address out (repeatable)', collect, [])
    .addHelpText(
      'after',
      "\nDiscovery keeps at most 8 quota or keypair reads (one project or user each) in flight per\ncloud and service; the manifest's `concurrency: {discovery: N}` changes that. The printed review has a Details\nsection up to 10,000 changes; past that, `pumphouse show PLAN --format text` prints them.",
    )
    .action(lazy('plan'));

  program
    .command('show')
    .description('render a plan file for review')
    .argument('<plan>', 'plan file')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .action(lazy('show'));

  program
    .command('apply')
    .description('execute a reviewed plan, recording every step in the state file')
    .argument('<plan>', 'plan file made by `pumphouse plan --out`')
    .addOption(config())
    .addOption(state())
    .option('--parallelism <n>', 'actions run at once', '10')
    .option('--limit <group=n>', 'at most n actions of a group at once: tenant, identity, flavor, image, volume, server, network, floating_ip, host, transfer, default (repeatable)', collect, [])
    .option('--expect-sha256 <hex>', 'refuse unless the plan file has this checksum (from the ticket)')
    .option('--lock-timeout <seconds>', 'wait this long for the state lock (seconds, or 30s, 5m)', '0')
    .option('--passwords-file <file>', 'where passwords set by identity.passwords: reset are written (mode 0600; default pumphouse.passwords beside the state file)')
    .option('--owner-passwords-file <file>', 'where original source password hashes wait while a keypair owner has a temporary password (legacy Nova; mode 0600, removed when restored; default pumphouse.owner-passwords beside the state file)')
    .action(lazy('apply'));

  const stateCmd = program.command('state').description('inspect or edit the state file');
  stateCmd.command('list').addOption(state()).action(lazy('state-list'));
  stateCmd.command('show').argument('<address>').addOption(state()).action(lazy('state-show'));
  stateCmd
    .command('rm')
    .argument('<address...>')
    .addOption(state())
    .option('--lock-timeout <seconds>', 'wait this long for the state lock', '0')
    .action(lazy('state-rm'));

  program
    .command('force-unlock')
    .description('remove a stale state lock left by a killed apply')
    .argument('<lock-id>')
    .addOption(state())
    .action(lazy('force-unlock'));

  program
    .command('migrate')
    .description('migrate objects by id (the original verb): images, identity, resources, volumes')
    .argument('<what>', 'images | identity | resources (servers) | volumes')
    .addOption(config())
    .addOption(state())
    .option('-i, --ids <id...>', 'source ids to migrate')
    .option('--parallelism <n>', 'actions run at once', '10')
    .action(lazy('migrate'));

  program.command('evacuate').description('live-migrate every server off a source hypervisor').argument('<host>').addOption(config()).addOption(state()).action(lazy('evacuate'));
  program.command('reassign').description('move a freed host from the source to the destination Fuel environment').argument('<host>').addOption(config()).addOption(state()).action(lazy('reassign'));
  program
    .command('setup')
    .description('seed the source cloud with recognisable test resources')
    .addOption(config())
    .addOption(state())
    .option('--num-tenants <n>', 'test tenants (default: CLOUDS.source.populate, else 1)')
    .option('--num-servers <n>', 'servers per tenant (default: populate, else 2)')
    .option('--num-volumes <n>', 'volumes attached to each server (default: populate, else 0; each tenant also gets one detached volume)')
    .action(lazy('setup'));
  program
    .command('cleanup')
    .description('delete what setup or pumphouse created in a cloud (found by markers)')
    .argument('<cloud>', 'source | destination')
    .addOption(config())
    .addOption(state())
    .option('--yes', 'do not ask for confirmation')
    .action(lazy('cleanup'));

  program
    .command('sim')
    .description('run the built-in OpenStack + Fuel simulator in the foreground')
    .option('--source <profile>', 'release:network of the source', 'juno:nova-network:flatdhcp')
    .option('--destination <profile>', 'release:network of the destination', 'modern:neutron')
    .option('--tenants <n>', 'generated tenants in the source', '2')
    .option('--servers-per-tenant <n>', 'generated servers per tenant', '2')
    .option('--hosts <n>', 'compute hosts per cloud', '2')
    .option('--seed <s>', 'random seed (runs repeat)', '1')
    .option('--port <p>', 'first port to listen on (0 = random)', '0')
    .option('--dir <dir>', 'where to write the config and manifest', '.pumphouse-sim')
    .option('--source-identity-db <url>', 'empty MySQL/MariaDB database for the source Keystone tables (password hashes)')
    .option('--destination-identity-db <url>', 'empty MySQL/MariaDB database for the destination Keystone tables')
    .action(lazy('sim'));

  return program;
}
