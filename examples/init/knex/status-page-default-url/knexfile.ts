// The database follows DATABASE_URL's scheme; with none set, a SQLite file.
import dotenv from "dotenv";
dotenv.config();

const url: string = process.env.DATABASE_URL || "sqlite://./data/status.sqlite.db";
const [kind, rest] = url.split("://");

const config: Record<string, unknown> = { migrations: { directory: "./migrations" } };
if (kind === "sqlite") {
  config.client = "better-sqlite3";
  config.connection = { filename: rest };
  config.useNullAsDefault = true;
} else if (kind === "postgresql") {
  config.client = "pg";
  config.connection = url;
} else if (kind === "mysql") {
  config.client = "mysql2";
  config.connection = url;
} else {
  console.error("Invalid database type");
  process.exit(1);
}

export default config;
