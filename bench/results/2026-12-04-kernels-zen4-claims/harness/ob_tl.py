import os, sys, time
import numpy as np
n=int(sys.argv[1]); secs=float(sys.argv[2])
rng=np.random.default_rng(1)
a=rng.random((n,n),dtype=np.float32)-0.5; b=rng.random((n,n),dtype=np.float32)-0.5; c=np.empty((n,n),dtype=np.float32)
end=time.perf_counter()+secs; w=time.perf_counter(); wc=0; out=[]
while time.perf_counter()<end:
    np.matmul(a,b,out=c); wc+=1
    now=time.perf_counter()
    if now-w>0.5: out.append("%.0f"%(2.0*n**3*wc/(now-w)/1e9)); w=now; wc=0
print(' '.join(out))
