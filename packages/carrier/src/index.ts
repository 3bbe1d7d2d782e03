export * from "./carrier.js"
export * from "./simulated-carrier.js"
