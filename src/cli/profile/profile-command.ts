import { Command } from 'commander';

/** `llmo profile list|create|remove`: separate homes for separate keys (work and personal). */
export function makeProfileCommand(): Command {
  const profile = new Command('profile').description(
    'separate configs, vaults, conversations and usage logs: llmo --profile NAME … (or LLMO_PROFILE=NAME)',
  );
  profile.addCommand(
    new Command('list').description('the profiles, the one in use marked with *').action(async () => {
      const { listProfiles } = await import('./profile.js');
      listProfiles();
    }),
  );
  profile.addCommand(
    new Command('create')
      .description('make an empty profile (its own config.yaml, vault, conversations and usage log)')
      .argument('<name>', 'letters, digits, _ and -')
      .action(async (name: string) => {
        const { createProfile } = await import('./profile.js');
        createProfile(name);
      }),
  );
  profile.addCommand(
    new Command('remove')
      .description('delete a profile with its vault, conversations and usage log (asks first; never the default)')
      .argument('<name>', 'the profile')
      .option('-y, --yes', 'remove without asking (required when not on a terminal)')
      .action(async (name: string, options: { yes?: boolean }) => {
        const { removeProfile } = await import('./profile.js');
        await removeProfile(name, options);
      }),
  );
  return profile;
}
