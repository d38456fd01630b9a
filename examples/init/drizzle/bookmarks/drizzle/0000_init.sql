CREATE TABLE "bookmarks" ("id" serial PRIMARY KEY, "url" text NOT NULL);
