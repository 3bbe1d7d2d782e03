import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { AgentId } from "../src/ids.js"
import {
  type Capability,
  hasCapability,
  mayActAsAgent,
  mayReadAgent,
  mayReadLead,
  type Role,
  roles,
  rolesWith,
} from "../src/roles.js"
import { runs } from "./property-runs.js"

const roleArb = fc.constantFrom(...roles)
const capabilityArb = fc.constantFrom<Capability>("read", "configure", "administer")
const agentIdArb = fc.stringMatching(/^[a-z0-9-]{1,20}$/).map((s) => AgentId.make(s))
const userArb = fc.record({ role: roleArb, agentId: fc.option(agentIdArb, { nil: null }) })

describe("roles", () => {
  it.prop(
    "a manager has exactly the powers of a supervisor",
    [capabilityArb],
    ([capability]) => {
      expect(hasCapability("manager", capability)).toBe(hasCapability("supervisor", capability))
    },
    runs(20),
  )

  it.prop(
    "whoever may configure may also read, and whoever administers may also configure",
    [roleArb],
    ([role]) => {
      if (hasCapability(role, "configure")) expect(hasCapability(role, "read")).toBe(true)
      if (hasCapability(role, "administer")) expect(hasCapability(role, "configure")).toBe(true)
    },
    runs(20),
  )

  it("analysts only read, agents hold no tenant-wide power, only admins administer", () => {
    expect(rolesWith("read")).toEqual(["admin", "supervisor", "manager", "analyst"])
    expect(rolesWith("configure")).toEqual(["admin", "supervisor", "manager"])
    expect(rolesWith("administer")).toEqual(["admin"])
  })

  it.prop(
    "rolesWith lists exactly the roles holding the capability",
    [roleArb, capabilityArb],
    ([role, capability]) => {
      expect(rolesWith(capability).includes(role)).toBe(hasCapability(role, capability))
    },
    runs(),
  )

  it.prop(
    "an agent acts on, and reads, itself only; an analyst reads any agent but acts on none",
    [userArb, agentIdArb],
    ([user, target]) => {
      const self = user.agentId === target
      const expectedAct: Record<Role, boolean> = {
        admin: true,
        supervisor: true,
        manager: true,
        analyst: false,
        agent: self,
      }
      expect(mayActAsAgent(user, target)).toBe(expectedAct[user.role])
      expect(mayReadAgent(user, target)).toBe(user.role === "agent" ? self : true)
    },
    runs(),
  )

  it.prop(
    "an agent with no agent of its own acts on nobody",
    [agentIdArb],
    ([target]) => {
      expect(mayActAsAgent({ role: "agent", agentId: null }, target)).toBe(false)
      expect(mayReadAgent({ role: "agent", agentId: null }, target)).toBe(false)
    },
    runs(50),
  )

  it.prop(
    "a lead is read by every reader, and by an agent only while it is assigned to that agent",
    [userArb, fc.option(agentIdArb, { nil: null })],
    ([user, assigned]) => {
      const expected = user.role === "agent" ? user.agentId !== null && assigned === user.agentId : true
      expect(mayReadLead(user, assigned)).toBe(expected)
      expect(mayReadLead({ role: "agent", agentId: assigned }, assigned)).toBe(assigned !== null)
    },
    runs(),
  )
})
