"""The test suite itself cannot reach beyond loopback."""

import socket

import pytest
from conftest import OutsideHostError


def test_a_connection_to_an_outside_address_is_refused_before_any_packet_leaves():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(OutsideHostError):
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1: reserved, never routed


def test_loopback_connections_still_work(httpserver):
    httpserver.expect_request("/ping").respond_with_data("pong")
    with socket.create_connection(("127.0.0.1", httpserver.port), timeout=5):
        pass
