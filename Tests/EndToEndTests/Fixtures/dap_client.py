"""A small Debug Adapter Protocol client for greenlight debug's debugpy test.

    python dap_client.py PORT FILE LINE

Connects to debugpy on 127.0.0.1:PORT (retrying while the service starts), attaches, sets
a breakpoint at FILE:LINE, waits for the stop, prints what it saw (one fact a line), steps
over one line, reads `value` in the top frame, continues and disconnects. Exits 0 when the breakpoint was hit,
3 on a timeout or an unexpected answer.
"""
import json
import socket
import sys
import time

TIMEOUT = 60.0


class Client:
    def __init__(self, port):
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.buffer = b""
        self.seq = 0
        self.pending = []

    def send(self, command, **arguments):
        self.seq += 1
        body = json.dumps({"seq": self.seq, "type": "request", "command": command,
                           "arguments": arguments}).encode()
        self.sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        return self.seq

    def receive(self):
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.read()
        header, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
        while len(self.buffer) < length:
            self.buffer += self.read()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return json.loads(body)

    def read(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("debugpy closed the connection")
        return chunk

    def wait(self, predicate):
        for index, message in enumerate(self.pending):
            if predicate(message):
                return self.pending.pop(index)
        while True:
            message = self.receive()
            if predicate(message):
                return message
            self.pending.append(message)

    def request(self, command, **arguments):
        seq = self.send(command, **arguments)
        response = self.wait(lambda m: m.get("type") == "response"
                             and m.get("request_seq") == seq)
        if not response.get("success"):
            print("failed:", command, response.get("message"))
            sys.exit(3)
        return response

    def event(self, name):
        return self.wait(lambda m: m.get("type") == "event" and m.get("event") == name)


def main():
    port, path, line = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    client = Client(port)
    client.request("initialize", clientID="greenlight-test", adapterID="debugpy",
                   pathFormat="path", linesStartAt1=True, columnsStartAt1=True)
    attach = client.send("attach", justMyCode=False)
    client.event("initialized")
    breakpoints = client.request("setBreakpoints", source={"path": path},
                                 breakpoints=[{"line": line}])
    print("breakpoint verified:", breakpoints["body"]["breakpoints"][0].get("verified"))
    client.request("configurationDone")
    client.wait(lambda m: m.get("type") == "response" and m.get("request_seq") == attach)
    stopped = client.event("stopped")["body"]
    print("stopped:", stopped["reason"])
    thread = stopped["threadId"]
    frames = client.request("stackTrace", threadId=thread)["body"]["stackFrames"]
    print("top frame: %s line %d" % (frames[0]["name"], frames[0]["line"]))
    print("frames:", " < ".join(frame["name"] for frame in frames))
    client.request("next", threadId=thread)
    stepped = client.event("stopped")["body"]
    frames = client.request("stackTrace", threadId=stepped["threadId"])["body"]["stackFrames"]
    print("after next: %s, %s line %d" % (stepped["reason"], frames[0]["name"], frames[0]["line"]))
    scopes = client.request("scopes", frameId=frames[0]["id"])["body"]["scopes"]
    local = client.request("variables", variablesReference=scopes[0]["variablesReference"])
    values = {v["name"]: v["value"] for v in local["body"]["variables"]}
    print("value =", values.get("value"))
    counts = []
    for _ in range(2):
        counts.append(client.request("evaluate", expression="len(ticks)", frameId=frames[0]["id"],
                                     context="repl")["body"]["result"])
        time.sleep(0.2)  # long enough for the ticker to tick, were it running
    print("ticks while stopped:", "unchanged" if counts[0] == counts[1] else "changed %s" % counts)
    threads = client.request("threads")["body"]["threads"]
    print("stopped thread:", next(t["name"] for t in threads if t["id"] == thread))
    print("threads:", sorted(t["name"] for t in threads))
    client.request("continue", threadId=thread)
    client.request("disconnect")
    print("continued")


main()
