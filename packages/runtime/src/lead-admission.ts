import { LeadEntity, type Admitted } from "@ringmaster/protocol"
import type { LeadId } from "@ringmaster/domain"
import { Effect } from "effect"

type LeadClient = Effect.Effect.Success<typeof LeadEntity.client>

/**
 * Admits a lead just written: what the admission wrote, or null. The lead is stored whatever happens here. When its
 * entity does not answer `AdmitNow` (it lives on a runner of an earlier version, during a rolling upgrade, or its
 * runner failed), the stored `Admit` is sent instead, which every version handles wherever the lead's shard goes;
 * should that fail too, the lead stays waiting and overdue, and the runners' sweep of overdue leads admits it.
 */
export const admitNewLead = (leads: LeadClient, id: LeadId): Effect.Effect<typeof Admitted.Type | null> =>
  leads(id)
    .AdmitNow({ leadId: id })
    .pipe(
      Effect.catchAllCause((cause) =>
        Effect.logWarning(`lead ${id}: not admitted at once, its admission is stored instead`, cause).pipe(
          Effect.zipRight(leads(id).Admit({ leadId: id }, { discard: true })),
          Effect.catchAllCause((stored) => Effect.logWarning(`lead ${id}: left to the sweep of overdue leads`, stored)),
          Effect.as(null),
        ),
      ),
    )
