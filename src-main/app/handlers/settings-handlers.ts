import type { SettingsView } from '../../../src-shared/contract/index';
import type { Handlers } from '../../../src-shared/rpc/rpc-server';
import type { EventHub } from '../../../src-shared/rpc/event-hub';
import { describePolicyError } from '../../policy/policy-error';
import type { PolicyService } from '../../policy/policy-service';

/** The settings as the "Remote settings" page shows them: value, source, locked. */
export function settingsView(policy: PolicyService): SettingsView {
  return {
    settings: { ...policy.get() },
    policyError: policy.policyError ? describePolicyError(policy.policyError) : null,
    policyFile: policy.policyFile,
  };
}

/** `settings.*`: read the effective settings, change the user's own. Main validates and enforces locks. */
export function settingsHandlers(policy: PolicyService, hub: EventHub): Pick<Handlers, 'settings.get' | 'settings.set'> {
  policy.onChange(() => hub.emit('settings.changed', settingsView(policy)));
  return {
    'settings.get': () => settingsView(policy),
    'settings.set': ({ values }) => {
      policy.setUser(values);
      return settingsView(policy);
    },
  };
}
