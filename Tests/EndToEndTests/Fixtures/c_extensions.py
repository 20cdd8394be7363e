"""Imports C extensions from PyPI wheels and uses them; prints what they compute, which
must be the same under greenlight as under the venv's python (InterpreterFidelityTests)."""

import greenlet
import numpy
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

# greenlet: switching back and forth between two stacks.
def counter(n):
    while True:
        n = greenlet.getcurrent().parent.switch(n) + 1

g = greenlet.greenlet(counter)
print("greenlet", [g.switch(i) for i in range(5)])

# numpy: linear algebra through its compiled core and its bundled BLAS.
a = numpy.arange(1.0, 10.0).reshape(3, 3) + numpy.eye(3)
print("numpy", (a @ a.T).sum(), round(float(numpy.linalg.det(a)), 6), numpy.sort(a[::-1, 0]))

# cryptography: a hash, a Fernet round trip and an EC signature verified.
digest = hashes.Hash(hashes.SHA256())
digest.update(b"greenlight")
print("sha256", digest.finalize().hex())
f = Fernet(Fernet.generate_key())
print("fernet", f.decrypt(f.encrypt(b"round trip")))
key = ec.generate_private_key(ec.SECP256R1())
signature = key.sign(b"message", ec.ECDSA(hashes.SHA256()))
key.public_key().verify(signature, b"message", ec.ECDSA(hashes.SHA256()))
print("ecdsa verified")
