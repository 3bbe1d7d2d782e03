import type { SqlError } from "@effect/sql/SqlError"
import type { SqlClient } from "@effect/sql/SqlClient"
import type { Effect } from "effect"
import initial from "./0001_initial.js"
import alerts from "./0002_alerts.js"
import compliance from "./0003_compliance.js"
import inbound from "./0004_inbound.js"
import autoDialer from "./0008_auto_dialer.js"
import pushOutbox from "./0009_push_outbox.js"
import loginFailures from "./0010_login_failures.js"
import agentLegs from "./0011_agent_legs.js"
import agentDeadlines from "./0012_agent_deadlines.js"
import unansweredCalls from "./0013_unanswered_calls.js"
import overdueLeads from "./0014_overdue_leads.js"
import depletionAlerted from "./0015_depletion_alerted.js"
import abandonmentLevel from "./0016_abandonment_level.js"
import openCallbacks from "./0017_open_callbacks.js"
import ringingInbound from "./0018_ringing_inbound.js"
import users from "./0005_users.js"
import reports from "./0006_reports.js"
import campaignSettings from "./0007_campaign_settings.js"

/** Numbered migrations, applied in key order; a key is `<id>_<name>`. Never edit one that has shipped. */
export const migrations: Record<string, Effect.Effect<unknown, SqlError, SqlClient>> = {
  "0001_initial": initial,
  "0002_alerts": alerts,
  "0003_compliance": compliance,
  "0004_inbound": inbound,
  "0008_auto_dialer": autoDialer,
  "0009_push_outbox": pushOutbox,
  "0010_login_failures": loginFailures,
  "0011_agent_legs": agentLegs,
  "0012_agent_deadlines": agentDeadlines,
  "0013_unanswered_calls": unansweredCalls,
  "0014_overdue_leads": overdueLeads,
  "0015_depletion_alerted": depletionAlerted,
  "0016_abandonment_level": abandonmentLevel,
  "0017_open_callbacks": openCallbacks,
  "0018_ringing_inbound": ringingInbound,
  "0005_users": users,
  "0006_reports": reports,
  "0007_campaign_settings": campaignSettings,
}
