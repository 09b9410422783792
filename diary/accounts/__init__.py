"""Her account: register, log in, settings, devices, password reset, email change, and her data rights (export, import, delete)."""
