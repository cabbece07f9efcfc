import type { PolicyService } from '../policy/policy-service';
import type { ControlPermission } from './session-ports';

/**
 * Whether the helper may be given control right now, and if not why — evaluated at every request
 * and on every policy change, so a policy tightened mid-session applies at once.
 */
export function controlPermissionFor(policy: PolicyService, kind: 'invitation' | 'offer', invitationAllows: boolean, unavailable: string | null): ControlPermission {
  if (unavailable) return { allowed: false, reason: unavailable };
  const allowed = kind === 'invitation' ? policy.value('allowControl') : policy.value('allowOfferedControl');
  if (!allowed) return { allowed: false, reason: 'The administrator of this computer allows helpers to view only.' };
  if (!invitationAllows) return { allowed: false, reason: 'This invitation was created for viewing only.' };
  return { allowed: true, reason: null };
}
