//go:build linux

package converge

import (
	"net"
	"syscall"
)

// quickAck makes the connection acknowledge every segment at once.
//
// sshd does not set TCP_NODELAY on sessions without a terminal, so when it
// sends two small packets in a row (a global request after authentication,
// then the reply to our first channel open) Nagle's algorithm holds the
// second until our ACK arrives — which Linux delays by up to 40 ms. Quick
// ACKs remove that stall from every host's first exec. The flag does not
// stick on Linux, so it is set again after each read.
func quickAck(c net.Conn) net.Conn {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return c
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return c
	}
	return &quickAckConn{TCPConn: tc, raw: raw}
}

type quickAckConn struct {
	*net.TCPConn
	raw syscall.RawConn
}

func (c *quickAckConn) Read(p []byte) (int, error) {
	n, err := c.TCPConn.Read(p)
	c.raw.Control(func(fd uintptr) {
		syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
	})
	return n, err
}
