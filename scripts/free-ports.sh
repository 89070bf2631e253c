#!/usr/bin/env bash
# Prints the first port P from FROM on, in steps of 10, such that P up to P + COUNT - 1 are all free
# on 127.0.0.1. scripts/test.sh moves its servers there when their default ports are taken: Linux
# also lends ports above 32767 to outgoing connections, so any program's client can hold one.
# Usage: bash scripts/free-ports.sh FROM COUNT
set -euo pipefail
from=${1:?usage: bash scripts/free-ports.sh FROM COUNT}
count=${2:?usage: bash scripts/free-ports.sh FROM COUNT}
# Exits 0 when each port of the block can be listened on (each is closed again at once).
probe='const net = require("node:net")
const [first, count] = process.argv.slice(1).map(Number)
const listen = (port) => new Promise((resolve) => {
  const server = net.createServer().once("error", () => resolve(false))
  server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)))
})
;(async () => {
  for (let port = first; port < first + count; port++) if (!(await listen(port))) process.exit(1)
})()'
for ((port = from; port + count <= 65536 && port < from + 1000; port += 10)); do
  if node -e "$probe" "$port" "$count"; then
    echo "$port"
    exit 0
  fi
done
echo "free-ports.sh: expected $count free ports in a row on 127.0.0.1 from $from on, in steps of 10 up to $((from + 990)) (each block had one taken, or ran past 65535)" >&2
exit 1
