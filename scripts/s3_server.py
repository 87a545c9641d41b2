"""Run an S3-compatible object store (moto's server, a test tool) on loopback.

Production keeps media in an S3-compatible bucket (docs/deploy.md, section 7);
this stands in for it the way localstripe stands in for Stripe: the app talks
real S3 over HTTP through django-storages and boto3, to 127.0.0.1 only. The
bucket is created at start; state is in memory and ends with the process.

    python scripts/s3_server.py --port 8430 --bucket agdb-media

Used by the two-server proof (tests/proof/cluster.py). Environment for the
app servers: MEDIA_S3_BUCKET, MEDIA_S3_ENDPOINT_URL=http://127.0.0.1:<port>,
MEDIA_S3_ACCESS_KEY_ID / MEDIA_S3_SECRET_ACCESS_KEY (any value here).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

# Anything non-empty: the stand-in accepts every key, boto3 insists on one.
ACCESS_KEY_ID = "local-media"
SECRET_ACCESS_KEY = "local-media-secret"  # noqa: S105 - a stand-in's dummy key
REGION = "ap-southeast-1"


def start(*, port: int, bucket: str):
    """Start the store in this process and create ``bucket``; returns the server."""
    # moto and boto3's client here are dev-only: the app never imports this.
    import boto3  # noqa: PLC0415
    from moto.server import ThreadedMotoServer  # noqa: PLC0415

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    client = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{port}",
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
    )
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    # Browsers read media straight from the bucket (or the CDN in front of
    # it), as in production: objects are readable by anyone, writable by key.
    client.put_bucket_policy(
        Bucket=bucket,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{bucket}/*",
                    }
                ],
            }
        ),
    )
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8430)
    parser.add_argument("--bucket", default="agdb-media")
    args = parser.parse_args()
    server = start(port=args.port, bucket=args.bucket)
    sys.stdout.write(
        f"S3 stand-in on http://127.0.0.1:{args.port}/ bucket {args.bucket}\n"
    )
    sys.stdout.flush()
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    server.stop()


if __name__ == "__main__":
    main()
