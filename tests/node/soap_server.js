// A node-soap (npm `soap`) server of the User WSDL for scripts/bench.sh: SaveCredential answers
// true when the request has a UserId, as the generated server of the benchmark does; node-soap
// parses every request against the WSDL it was given.
//
// Usage: node soap_server.js WSDL [SECONDS] [WORKERS]
//
// Listens on 127.0.0.1 on a free port, prints its URL, and exits by itself after SECONDS
// (default 600). Node runs JavaScript on one thread: WORKERS processes (default 2, one per core
// of the benchmark machine) share the port through node's `cluster` module.
"use strict";

const cluster = require("node:cluster");
const fs = require("node:fs");
const http = require("node:http");
const soap = require("soap");

const [wsdlPath, secondsArg, workersArg] = process.argv.slice(2);
const seconds = Number(secondsArg || 600);
const workers = Number(workersArg || 2);
const path = "/Remote/Services87/User.svc";

if (cluster.isPrimary) {
  let listening = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on("message", (port) => {
      listening += 1;
      if (listening === workers) {
        process.stdout.write(`http://127.0.0.1:${port}${path}\n`);
      }
    });
  }
  setTimeout(() => {
    for (const worker of Object.values(cluster.workers)) worker.kill();
    process.exit(0);
  }, seconds * 1000);
} else {
  const wsdl = fs.readFileSync(wsdlPath, "utf8");
  const services = {
    WcfUserService: {
      BasicHttpBinding_User: {
        SaveCredential(args) {
          return { Response: args.UserId !== undefined && args.UserId !== null };
        },
      },
    },
  };
  const server = http.createServer((request, response) => {
    // node-soap answers the requests to its path; anything else is not ours.
    response.statusCode = 404;
    response.end();
  });
  soap.listen(server, path, services, wsdl);
  server.keepAliveTimeout = 30000;
  server.listen(0, "127.0.0.1", () => process.send(server.address().port));
}
