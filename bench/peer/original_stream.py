"""The original pipeline's PySpark Structured Streaming job, rewritten from its description for the
peer benchmark.

Reads a Kafka topic from the earliest offset, parses each value with ``from_json`` against the fixed
schema of the 15 Austin columns (counts and Council District as integers), applies the original's
transforms (timestamp without a format, trims, lower/upper case), drops rows whose bias is null,
replaces null counts with 0, and appends each micro-batch as one Parquet file (``coalesce(1)``) to a
single unpartitioned folder through ``foreachBatch``, with a checkpoint.

For the benchmark it runs on ``local[2]`` with ``trigger(availableNow=True)``, so it drains the topic
and stops, with ``spark.sql.ansi.enabled=false`` (the default of the Spark 3.5 it was written for;
under Spark 4's ANSI default the untyped ``to_timestamp`` fails on the first Austin date) and the
Kafka connector jars given with ``spark.jars`` (a comma-separated list, from bench/peer/setup.sh).

    python original_stream.py --topic incidents --brokers 127.0.0.1:9092 --out out/ \
        --checkpoint ckpt/ --jars a.jar,b.jar

Prints one JSON line: records read, seconds in all, seconds after the session had started.
"""
import argparse
import json
import os
import time

STARTED = time.perf_counter()

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql.functions import col, from_json, lower, to_timestamp, trim, upper  # noqa: E402
from pyspark.sql.types import IntegerType, StringType, StructField, StructType  # noqa: E402

COUNTS = [
    "Number of Victims under 18",
    "Number of Victims over 18",
    "Number of Offenders under 18",
    "Number of Offenders over 18",
]
SCHEMA = StructType([
    StructField("Month", StringType()),
    StructField("Incident Number", StringType()),
    StructField("Date of Incident", StringType()),
    StructField("Day of Week", StringType()),
    *[StructField(name, IntegerType()) for name in COUNTS],
    StructField("Race/Ethnicity of Offenders", StringType()),
    StructField("Offense(s)", StringType()),
    StructField("Offense Location", StringType()),
    StructField("Bias", StringType()),
    StructField("Zip Code", StringType()),
    StructField("APD Sector", StringType()),
    StructField("Council District", IntegerType()),
])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name in ("--topic", "--brokers", "--out", "--checkpoint", "--jars"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    # The Spark UI would listen on every interface; the benchmark keeps everything on 127.0.0.1.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")

    spark = (
        SparkSession.builder.appName("hatecrimes-original-stream")
        .master("local[2]")
        .config("spark.jars", args.jars)
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    session_ready = time.perf_counter()

    raw = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", args.brokers)
        .option("subscribe", args.topic)
        .option("startingOffsets", "earliest")
        .load()
    )
    data = raw.select(from_json(col("value").cast("string"), SCHEMA).alias("data")).select("data.*")
    cleaned = (
        data.withColumn("Date of Incident", to_timestamp(trim(col("Date of Incident"))))
        .withColumn("Month", trim(col("Month")))
        .withColumn("Day of Week", trim(col("Day of Week")))
        .withColumn("Race/Ethnicity of Offenders", lower(trim(col("Race/Ethnicity of Offenders"))))
        .withColumn("Offense(s)", lower(trim(col("Offense(s)"))))
        .withColumn("Offense Location", lower(trim(col("Offense Location"))))
        .withColumn("Bias", lower(trim(col("Bias"))))
        .withColumn("Zip Code", trim(col("Zip Code")))
        .withColumn("APD Sector", upper(col("APD Sector")))
        .dropna(subset=["Bias"])
        .fillna(0, subset=COUNTS)
    )

    def write_batch(batch, _epoch_id):
        batch.coalesce(1).write.mode("append").parquet(args.out)

    query = (
        cleaned.writeStream.foreachBatch(write_batch)
        .option("checkpointLocation", args.checkpoint)
        .trigger(availableNow=True)
        .start()
    )
    query.awaitTermination()
    finished = time.perf_counter()
    records = sum(progress["numInputRows"] for progress in query.recentProgress)
    spark.stop()
    print(json.dumps({
        "records": records,
        "seconds": round(finished - STARTED, 3),
        "seconds_after_session": round(finished - session_ready, 3),
    }))


if __name__ == "__main__":
    main()
