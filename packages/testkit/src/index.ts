export * from "./console-client.js"
export * from "./test-database.js"
