#!/usr/bin/env python3
"""Writes N Amazon Connect contact records (the contact records data model), one JSON object per line, for
benchmarks: python3 Benchmarks/connect_records.py N OUT.jsonl [--firehose] (no separator between objects)."""
import json, random, sys, datetime

def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    firehose = "--firehose" in sys.argv
    rng = random.Random(2020)
    start = datetime.datetime(2019, 1, 1, tzinfo=datetime.timezone.utc).timestamp()
    span = 2 * 365 * 86400
    queues = ["999 Emergency", "101 Non-Emergency", "Webchat"]
    def at(seconds):
        return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(out, "w") as f:
        for n in range(count):
            initiated = start + (n * span) // count
            queue = queues[rng.randrange(3)]
            enqueued = initiated + rng.randrange(5, 40)
            wait = int(rng.lognormvariate(3.5, 1.2))
            answered = rng.random() < 0.8
            talk = rng.randrange(60, 900)
            r = {"AWSAccountId": "123456789012", "AWSContactTraceRecordFormatVersion": "2017-03-10",
                 "InstanceARN": "arn:aws:connect:eu-west-2:123456789012:instance/0aa1b2c3-d4e5-6f70-8192-a3b4c5d6e7f8",
                 "ContactId": "%08x-%04x-4%03x-8%03x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12), rng.getrandbits(12), rng.getrandbits(48)),
                 "InitialContactId": None, "PreviousContactId": None, "NextContactId": None,
                 "Channel": "CHAT" if queue == "Webchat" else "VOICE",
                 "InitiationMethod": "INBOUND" if rng.random() < 0.95 else "OUTBOUND",
                 "InitiationTimestamp": at(initiated), "ConnectedToSystemTimestamp": at(initiated),
                 "CustomerEndpoint": {"Address": "+447700%06d" % rng.randrange(1000000), "Type": "TELEPHONE_NUMBER"},
                 "SystemEndpoint": {"Address": "+442380000101", "Type": "TELEPHONE_NUMBER"},
                 "Attributes": {"IncidentType": rng.choice(["Noise", "Road traffic collision", "Concern for safety", "Fraud", "Lost property"])},
                 "MediaStreams": [{"Type": "VOICE"}], "Recording": None, "Recordings": None, "References": [],
                 "Queue": {"ARN": "arn:aws:connect:eu-west-2:123456789012:instance/0aa1b2c3/queue/q", "Name": queue,
                           "EnqueueTimestamp": at(enqueued), "DequeueTimestamp": at(enqueued + wait), "Duration": wait},
                 "Agent": {"ARN": "arn:aws:connect:eu-west-2:123456789012:instance/0aa1b2c3/agent/a", "Username": "agent%d" % rng.randrange(200),
                           "RoutingProfile": {"ARN": "arn:x", "Name": "Contact officers"}, "HierarchyGroups": None,
                           "ConnectedToAgentTimestamp": at(enqueued + wait), "AgentInteractionDuration": talk,
                           "AfterContactWorkDuration": 45, "CustomerHoldDuration": 0, "NumberOfHolds": 0} if answered else None,
                 "DisconnectTimestamp": at(enqueued + wait + (talk if answered else 0)), "DisconnectReason": "CUSTOMER_DISCONNECT"}
            f.write(json.dumps(r, separators=(",", ":")) + ("" if firehose else "\n"))

main()
