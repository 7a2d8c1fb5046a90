"""The web workbench (``juesuan serve``): review a report in a browser, compile a unit's
package from a form, run a batch and browse its summary.

A thin front end over :mod:`juesuan.api`, as the command line is: routes read the request,
call the API (in a bounded pool of worker processes, :mod:`juesuan.web.jobs`), and render
what it returned; no figure is computed in a route or a template. The pieces:

- :mod:`~juesuan.web.settings`: what ``juesuan serve`` was given, and the limits.
- :mod:`~juesuan.web.security`: loopback by default, the token, the Host header, CSRF, body
  size, security headers.
- :mod:`~juesuan.web.uploads`: an upload sniffed from its content and checked against the
  limits before it is stored; :mod:`~juesuan.web.store`: SQLite and content-addressed files
  under ``--data``.
- :mod:`~juesuan.web.tasks` (what runs in a worker process) and :mod:`~juesuan.web.jobs`
  (the pools, the result cache).
- :mod:`~juesuan.web.views`: the data of each page, from an audit result.
- :mod:`~juesuan.web.app` and the ``routes_*`` modules; ``templates/`` and ``static/``
  (htmx 2.0.x vendored, no build step).

Everything here needs the ``web`` extra (``pip install 'juesuan[web]'``).
"""
