"""A real SMTP server on loopback for the tests (aiosmtpd), which can refuse recipients, answer slowly or
stop, as a mail server may."""

import asyncio
import email
import socket
from email import policy

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    """Keeps each message it accepts; refuses the recipients in `refuse` with 550, answers DATA after
    `delay` seconds, and stops accepting after `stop_after` messages (421, closing the connection)."""

    def __init__(self):
        self.messages = []
        self.refuse = set()
        self.delay = 0
        self.stop_after = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.stop_after is not None and len(self.messages) >= self.stop_after:
            session.transport.close()
            return "421 4.3.2 Service shutting down"
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


class SMTPServer:
    def __init__(self):
        self.handler = Recorder()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.controller._thread is not None:
            self.controller.stop()

    @property
    def messages(self):
        return self.handler.messages
