package io.sagastream.system;

import io.sagastream.testing.LoopbackPorts;
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
 * A TCP relay on a loopback port in front of the registry, through which the nodes and the
 * participants reach it. {@link #goDown} closes the port and cuts every open connection, as a
 * registry that went away would (connections refused); {@link #comeBack} opens the same port again.
 * The registry behind it keeps running, so it keeps its schemas and their ids: Apicurio's test
 * distribution stores them in memory, and a restarted registry would hand out the same ids for
 * other schemas.
 */
final class RegistryProxy implements AutoCloseable {

  private final String targetHost;
  private final int targetPort;
  private final String path;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private ServerSocket server;

  private RegistryProxy(URI target, int port) {
    this.targetHost = target.getHost();
    this.targetPort = target.getPort();
    this.path = target.getRawPath();
    this.port = port;
  }

  /** A relay to the registry at {@code url} (its Confluent-compatible API), listening now. */
  static RegistryProxy start(String url) {
    RegistryProxy proxy = new RegistryProxy(URI.create(url), LoopbackPorts.free());
    proxy.comeBack();
    return proxy;
  }

  /** The registry's URL through the relay. */
  String url() {
    return "http://127.0.0.1:" + port + path;
  }

  synchronized boolean isUp() {
    return server != null && !server.isClosed();
  }

  /** Refuses new connections and cuts the open ones. */
  synchronized void goDown() {
    if (server != null) {
      closeQuietly(server);
      server = null;
    }
    open.forEach(RegistryProxy::closeQuietly);
    open.clear();
  }

  /** Listens again, on the same port. */
  synchronized void comeBack() {
    if (isUp()) {
      return;
    }
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
      server = socket;
      Thread acceptor = new Thread(() -> accept(socket), "registry-proxy-accept");
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
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        closeQuietly(client); // the registry refused: so does the relay
      }
    }
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
            "registry-proxy-pump");
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
