# Times one peer case for bench/python.js. Reads a JSON job on stdin:
#   {"arrays": {name: [path, shape]}, "setup": code, "run": code, "repeat": n, "threads": t}
# (each array a raw float32 file), runs `setup` once (with the arrays in `data`
# as NumPy float32 arrays), then `run` once to warm up and `repeat` times under
# perf_counter, and prints {"samples": [ms...], "info": {...}} as JSON.
# With "serve": true it stays up after the warm-up for rounds paired with
# latentkit's (bench/python.js openPeer): it prints {"ready": true, "info": ...},
# then for each line n > 0 on stdin times n runs and prints {"samples": [...]};
# a line 0 (or the end of stdin) ends it.
import json, sys, time
job = json.loads(sys.stdin.readline())  # one line: the job (serve mode reads commands after it)
import numpy as np
data = {k: np.fromfile(p, dtype=np.float32).reshape(s) for k, (p, s) in job["arrays"].items()}
info = {"numpy": np.__version__}
try:
    import threadpoolctl
    pools = threadpoolctl.threadpool_info()
    info["blas"] = [f"{p.get('internal_api')} {p.get('version')} {p.get('architecture')} x{p.get('num_threads')}" for p in pools]
except Exception as e:  # threadpoolctl missing: say so
    info["blas"] = [f"unknown ({e})"]
env = {"np": np, "data": data}
exec(job["setup"], env)
if "torch" in env:
    env["torch"].set_num_threads(job.get("threads", 2))
    info["torch"] = env["torch"].__version__
if "sklearn" in env:
    info["sklearn"] = env["sklearn"].__version__
run = compile(job["run"], "run", "exec")
exec(run, env)  # warm-up
if job.get("serve"):
    print(json.dumps({"ready": True, "info": info}), flush=True)
    for line in sys.stdin:
        n = int(line.strip() or 0)
        if n <= 0:
            break
        samples = []
        for i in range(n):
            t0 = time.perf_counter()
            exec(run, env)
            samples.append((time.perf_counter() - t0) * 1000)
        print(json.dumps({"samples": samples}), flush=True)
    sys.exit(0)
samples = []
deadline = time.perf_counter() + job.get("budget", 3.0)
for i in range(job.get("repeat", 7)):
    t0 = time.perf_counter()
    exec(run, env)
    samples.append((time.perf_counter() - t0) * 1000)
    if time.perf_counter() > deadline and len(samples) >= 3:
        break
print(json.dumps({"samples": samples, "info": info}))
