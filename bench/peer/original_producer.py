"""The original pipeline's producer, rewritten from its description for the peer benchmark.

Reads the whole CSV with pandas (default options), replaces missing values with the empty string,
and sends each row as ``row.to_json()`` keyed by its index through a confluent-kafka Producer,
calling ``poll(0)`` after each send and ``flush()`` at the end.

Two differences from the original, both for a fair throughput comparison:
- the 0.1 s sleep after each row (10 rows/s) is left out, so the loop runs as fast as it can;
- acks=all, enable.idempotence=true and compression.type=zstd are set, as our producer uses them
  (the original kept librdkafka's defaults).
Without the sleep, librdkafka's local queue (100,000 messages) could fill, and ``produce`` would raise
BufferError: then it serves delivery reports for a moment and sends the row again, librdkafka's
documented pattern. Nothing else is changed or tuned.

    python original_producer.py --input incidents.csv --topic incidents --brokers 127.0.0.1:9092

Prints one JSON line: {"rows": ..., "seconds": ..., "unflushed": ...}.
"""
import argparse
import json
import time

import pandas as pd
from confluent_kafka import Producer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--brokers", required=True)
    args = parser.parse_args()

    started = time.perf_counter()
    df = pd.read_csv(args.input)
    df = df.fillna("")

    producer = Producer({
        "bootstrap.servers": args.brokers,
        "acks": "all",
        "enable.idempotence": True,
        "compression.type": "zstd",
    })

    rows = 0
    for index, row in df.iterrows():
        value = row.to_json()
        while True:
            try:
                producer.produce(args.topic, key=str(index), value=value)
                break
            except BufferError:
                producer.poll(0.1)
        producer.poll(0)
        rows += 1

    unflushed = producer.flush()
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": rows, "seconds": round(seconds, 3), "unflushed": unflushed}))


if __name__ == "__main__":
    main()
