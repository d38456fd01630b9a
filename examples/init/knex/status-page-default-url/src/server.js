import { createServer } from "node:http";

const port = Number(process.env.PORT || 3000);
createServer((req, res) => {
  if (req.url === "/healthcheck") return res.end("ok");
  res.end("status page");
}).listen(port);
