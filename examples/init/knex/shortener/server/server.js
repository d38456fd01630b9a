const express = require("express");
const env = require("./env");
const db = require("knex")(require("../knexfile"));

const app = express();
app.get("/:address", async (req, res) => {
  const link = await db("links").where({ address: req.params.address }).first();
  return link ? res.redirect(link.target) : res.status(404).send("not found");
});
app.listen(env.PORT, () => console.log(`listening on ${env.PORT}`));
