"""Starts the Java kernel N times in a row through jupyter_client, as Jupyter does, and runs one cell each time.

Each start must reach 'ready', evaluate `1 + 1` to 2, fail a cell that does not compile, and shut down;
the first also checks that display(table) sends HTML display data.
Run by `./workbench test` with Debian's /usr/bin/python3 and JUPYTER_PATH pointing at the project kernelspec.
"""
import argparse
import queue
import sys
import time

from jupyter_client.manager import KernelManager


def run_cell(client, code, timeout=60):
    msg_id = client.execute(code)
    reply = client.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = client.get_shell_msg(timeout=timeout)
    result, error, displayed = None, None, []
    while True:
        try:
            msg = client.get_iopub_msg(timeout=5)
        except queue.Empty:
            break
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "execute_result":
            result = msg["content"]["data"].get("text/plain")
        if msg["msg_type"] == "display_data":
            displayed.append(msg["content"]["data"])
        if msg["msg_type"] == "error":
            error = "\n".join(msg["content"]["traceback"])
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    if displayed:
        return reply["content"], displayed
    return reply["content"], result if error is None else error


def one_start(i):
    km = KernelManager(kernel_name="java")
    t0 = time.monotonic()
    km.start_kernel()
    try:
        client = km.client()
        client.start_channels()
        client.wait_for_ready(timeout=90)
        ready = time.monotonic() - t0
        content, result = run_cell(client, "1 + 1")
        if content["status"] != "ok" or result != "2":
            raise AssertionError(f"start {i}: 1 + 1 gave status {content['status']}, result {result!r}")
        content, error = run_cell(client, "int x = \"no\";")
        if content["status"] != "error" or "incompatible types" not in (error or ""):
            raise AssertionError(f"start {i}: a cell that does not compile was not an error: {content} {error}")
        if i == 1:
            content, shown = run_cell(client, 'display(tech.tablesaw.api.Table.create("shown"));')
            if content["status"] != "ok" or not shown or "text/html" not in shown[0]:
                raise AssertionError(f"start {i}: display(table) sent no HTML display_data: {content} {shown}")
        client.stop_channels()
        return ready
    finally:
        km.shutdown_kernel(now=False)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=20)
    args = parser.parse_args()
    times, failures = [], []
    for i in range(1, args.starts + 1):
        try:
            times.append(one_start(i))
        except Exception as e:  # report every failing start, not only the first
            failures.append(f"start {i}: {type(e).__name__}: {e}")
            print(failures[-1], file=sys.stderr)
    if times:
        times.sort()
        print(f"kernel starts: {len(times)}/{args.starts} ready; time to ready median {times[len(times) // 2]:.2f} s,"
              f" max {times[-1]:.2f} s")
    if failures:
        print(f"kernel starts: {len(failures)} of {args.starts} failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
