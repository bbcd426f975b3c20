package io.sagastream.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a loopback port in front of a server (a registry, say), through which clients
 * reach it. {@link #goDown} closes the port and cuts every open connection, as a server that went
 * away would (connections refused); {@link #comeBack} opens the same port again. The server behind
 * it keeps running, and so keeps its state: Apicurio's test distribution stores its schemas in
 * memory, and a restarted registry would hand out the same ids for other schemas.
 */
public final class LoopbackRelay implements AutoCloseable {

  private final String targetHost;
  private final int targetPort;
  private final String path;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private ServerSocket server;

  private LoopbackRelay(URI target, int port) {
    this.targetHost = target.getHost();
    this.targetPort = target.getPort();
    this.path = target.getRawPath();
    this.port = port;
  }

  /** A relay to the HTTP server at {@code url}, listening now. */
  public static LoopbackRelay start(String url) {
    LoopbackRelay relay = down(url);
    relay.comeBack();
    return relay;
  }

  /**
   * A relay to the HTTP server at {@code url} whose port is chosen but not listening yet: a client
   * given {@link #url()} is refused until {@link #comeBack}.
   */
  public static LoopbackRelay down(String url) {
    return new LoopbackRelay(URI.create(url), LoopbackPorts.free());
  }

  /** The server's URL through the relay. */
  public String url() {
    return "http://127.0.0.1:" + port + path;
  }

  public synchronized boolean isUp() {
    return server != null && !server.isClosed();
  }

  /** Refuses new connections and cuts the open ones. */
  public synchronized void goDown() {
    if (server != null) {
      closeQuietly(server);
      server = null;
    }
    open.forEach(LoopbackRelay::closeQuietly);
    open.clear();
  }

  /** Listens again, on the same port. */
  public synchronized void comeBack() {
    if (isUp()) {
      return;
    }
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
      server = socket;
      Thread acceptor = new Thread(() -> accept(socket), "loopback-relay-accept");
      acceptor.setDaemon(true);
      acceptor.start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot listen on 127.0.0.1:" + port + " again: " + e, e);
    }
  }

  @Override
  public void close() {
    goDown();
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        continue; // closed by goDown: the loop ends
      }
      try {
        Socket upstream = new Socket(targetHost, targetPort);
        if (!keep(socket, client, upstream)) {
          continue;
        }
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        closeQuietly(client); // the server refused: so does the relay
      }
    }
  }

  /**
   * Keeps the pair open unless the relay went down while it was being accepted: a connection kept
   * after {@link #goDown} cleared the open ones would carry a client through the outage.
   */
  private synchronized boolean keep(ServerSocket listening, Socket client, Socket upstream) {
    if (server != listening || listening.isClosed()) {
      closeQuietly(client);
      closeQuietly(upstream);
      return false;
    }
    open.add(client);
    open.add(upstream);
    return true;
  }

  private void pump(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[8192];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, read);
                  out.flush();
                }
              } catch (IOException e) {
                // one side closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
              }
            },
            "loopback-relay-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // closing anyway
    }
  }
}
