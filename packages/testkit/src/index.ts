export * from "./console-client.js"
export * from "./listening-connections.js"
export * from "./test-database.js"
