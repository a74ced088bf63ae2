// End-to-end fan-out through a Pusher-protocol server, measured from outside on the same meter
// as the kernel floor (Benchmarks/EndToEnd: see scripts/fanout-floor.sh, which builds and runs it).
//
// Opens N WebSocket connections to 127.0.0.1:PORT/app/KEY, subscribes each to the public channel
// "bench", reports the server's resident memory (VmRSS of SERVER_PID) before and after, then, for
// ROUNDS rounds each, publishes through the signed HTTP API and times from the request's first byte
// until every subscriber has received the whole frame(s), read by one epoll loop:
//   single  POST /apps/APP/events        one event whose WebSocket frame is about 150 bytes
//   batch   POST /apps/APP/batch_events  ten such events (about 1,500 bytes per subscriber)
// Build: cc -O2 -o /tmp/fanout_subscribers fanout_subscribers.c -lcrypto
// Run:   /tmp/fanout_subscribers PORT N ROUNDS SERVER_PID [APP_ID KEY SECRET]
//        (ROUNDS 0: subscribe, report the server's resident memory, and exit)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { SETUP_BATCH = 500, SNIPPET = 96 };

// One subscriber's read state: the HTTP upgrade response, then a stream of server frames.
typedef struct {
  int fd;
  int stage;              // 0 upgrade response, 1 awaiting connection_established, 2 awaiting
                          // subscription_succeeded, 3 subscribed
  uint32_t crlf;          // the last four bytes of the upgrade response, to find its end
  uint8_t header[10];
  int headerLength;
  uint64_t remaining;     // payload bytes of the current frame still to read
  char snippet[SNIPPET];  // the start of the current frame's payload (setup checks only)
  int snippetLength;
  long frames;            // complete frames received
} subscriber_t;

static int port, count, rounds, serverPID;
static const char *appID = "1", *appKey = "chorus-key", *appSecret = "chorus-secret";
static subscriber_t *subscribers;
static int epollFD;
static char readBuffer[65536];

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void fail(const char *what) {
  fprintf(stderr, "fanout_subscribers: %s (%s)\n", what, strerror(errno));
  exit(1);
}

static long residentKB(void) {
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%d/status", serverPID);
  FILE *file = fopen(path, "r");
  if (!file) return -1;
  long kb = -1;
  while (fgets(line, sizeof line, file))
    if (sscanf(line, "VmRSS: %ld kB", &kb) == 1) break;
  fclose(file);
  return kb;
}

static int connectToServer(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(0x7f000001)};
  if (fd < 0 || connect(fd, (void *)&address, sizeof address)) fail("connect");
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static void writeAll(int fd, const void *bytes, size_t length) {
  const char *next = bytes;
  while (length > 0) {
    ssize_t written = write(fd, next, length);
    if (written < 0 && errno == EAGAIN) { usleep(100); continue; }
    if (written <= 0) fail("write");
    next += written;
    length -= (size_t)written;
  }
}

// A masked client text frame (RFC 6455 requires clients to mask).
static void sendText(int fd, const char *text) {
  uint8_t frame[256], mask[4] = {0x12, 0x34, 0x56, 0x78};
  size_t length = strlen(text);
  if (length > 125) fail("client message too long");
  frame[0] = 0x81;
  frame[1] = 0x80 | (uint8_t)length;
  memcpy(frame + 2, mask, 4);
  for (size_t i = 0; i < length; i++) frame[6 + i] = (uint8_t)text[i] ^ mask[i % 4];
  writeAll(fd, frame, 6 + length);
}

// Handles one complete frame during setup: the handshake's two Pusher events.
static void setupFrameCompleted(subscriber_t *s) {
  s->snippet[s->snippetLength] = 0;
  if (s->stage == 1) {
    if (!strstr(s->snippet, "pusher:connection_established")) { fprintf(stderr, "unexpected: %s\n", s->snippet); exit(1); }
    sendText(s->fd, "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"bench\"}}");
    s->stage = 2;
  } else if (s->stage == 2) {
    if (!strstr(s->snippet, "subscription_succeeded")) { fprintf(stderr, "unexpected: %s\n", s->snippet); exit(1); }
    s->stage = 3;
  }
}

// Feeds received bytes through the subscriber's frame parser; returns frames completed.
static int consume(subscriber_t *s, const uint8_t *bytes, ssize_t length) {
  int completed = 0;
  ssize_t i = 0;
  while (s->stage == 0 && i < length) {
    s->crlf = (s->crlf << 8) | bytes[i++];
    if (s->crlf == 0x0d0a0d0a) s->stage = 1;
  }
  while (i < length) {
    if (s->remaining > 0) {
      ssize_t take = length - i < (ssize_t)s->remaining ? length - i : (ssize_t)s->remaining;
      if (s->stage < 3 && s->snippetLength < SNIPPET - 1) {
        int room = SNIPPET - 1 - s->snippetLength;
        int copy = take < room ? (int)take : room;
        memcpy(s->snippet + s->snippetLength, bytes + i, copy);
        s->snippetLength += copy;
      }
      s->remaining -= (uint64_t)take;
      i += take;
      if (s->remaining == 0) {
        s->frames++, completed++;
        if (s->stage < 3) setupFrameCompleted(s);
      }
      continue;
    }
    s->header[s->headerLength++] = bytes[i++];
    if (s->headerLength < 2) continue;
    int length7 = s->header[1] & 0x7f, need = length7 < 126 ? 2 : (length7 == 126 ? 4 : 10);
    if (s->headerLength < need) continue;
    uint64_t payload = (uint64_t)length7;
    if (length7 == 126) payload = ((uint64_t)s->header[2] << 8) | s->header[3];
    if (length7 == 127) { payload = 0; for (int k = 2; k < 10; k++) payload = (payload << 8) | s->header[k]; }
    s->headerLength = 0;
    s->snippetLength = 0;
    s->remaining = payload;
    if (payload == 0) {
      s->frames++, completed++;
      if (s->stage < 3) setupFrameCompleted(s);
    }
  }
  return completed;
}

static void readReady(int timeoutMs, void (*onFrames)(subscriber_t *, int)) {
  struct epoll_event events[1024];
  int ready = epoll_wait(epollFD, events, 1024, timeoutMs);
  if (ready < 0 && errno != EINTR) fail("epoll_wait");
  for (int j = 0; j < ready; j++) {
    subscriber_t *s = &subscribers[events[j].data.u32];
    for (;;) {
      ssize_t got = read(s->fd, readBuffer, sizeof readBuffer);
      if (got > 0) {
        int completed = consume(s, (uint8_t *)readBuffer, got);
        if (completed && onFrames) onFrames(s, completed);
        if (got < (ssize_t)sizeof readBuffer) break;
        continue;
      }
      if (got == 0) { fprintf(stderr, "subscriber %u: the server closed the connection\n", events[j].data.u32); exit(1); }
      if (errno == EAGAIN) break;
      fail("read");
    }
  }
}

static void subscribeAll(void) {
  static const char *request =
      "GET /app/%s?protocol=7&client=fanout&version=1.0 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
      "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n";
  char handshake[512];
  int handshakeLength = snprintf(handshake, sizeof handshake, request, appKey, port);
  for (int start = 0; start < count; start += SETUP_BATCH) {
    int end = start + SETUP_BATCH < count ? start + SETUP_BATCH : count;
    for (int i = start; i < end; i++) {
      subscriber_t *s = &subscribers[i];
      s->fd = connectToServer();
      writeAll(s->fd, handshake, (size_t)handshakeLength);
      fcntl(s->fd, F_SETFL, fcntl(s->fd, F_GETFL) | O_NONBLOCK);
      struct epoll_event event = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
      if (epoll_ctl(epollFD, EPOLL_CTL_ADD, s->fd, &event)) fail("epoll_ctl");
    }
    double deadline = now() + 60;
    for (int i = start; i < end;) {
      if (subscribers[i].stage == 3) { i++; continue; }
      if (now() > deadline) { fprintf(stderr, "subscriber %d did not subscribe in 60 s\n", i); exit(1); }
      readReady(100, NULL);
    }
  }
}

static void hex(const uint8_t *bytes, unsigned length, char *out) {
  for (unsigned i = 0; i < length; i++) sprintf(out + 2 * i, "%02x", bytes[i]);
}

// A complete signed HTTP request publishing `body` to `path`.
static int signedRequest(char *out, size_t capacity, const char *path, const char *body) {
  uint8_t digest[EVP_MAX_MD_SIZE];
  unsigned digestLength = 0;
  char bodyMD5[33], signature[65], query[512], toSign[1024];
  EVP_Digest(body, strlen(body), digest, &digestLength, EVP_md5(), NULL);
  hex(digest, digestLength, bodyMD5);
  snprintf(query, sizeof query, "auth_key=%s&auth_timestamp=%ld&auth_version=1.0&body_md5=%s", appKey, (long)time(NULL),
           bodyMD5);
  snprintf(toSign, sizeof toSign, "POST\n%s\n%s", path, query);
  HMAC(EVP_sha256(), appSecret, (int)strlen(appSecret), (uint8_t *)toSign, strlen(toSign), digest, &digestLength);
  hex(digest, digestLength, signature);
  return snprintf(out, capacity,
                  "POST %s?%s&auth_signature=%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
                  "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                  path, query, signature, port, strlen(body), body);
}

// The data of one event: sized so the server's frame is about 150 bytes.
static const char *eventData = "{\\\"symbol\\\":\\\"EURUSD\\\",\\\"bid\\\":1.08412,\\\"ask\\\":1.08415,\\\"ts\\\":1767225600123}";

static long roundTarget;
static int subscribersDone;
static void countDone(subscriber_t *s, int completed) {
  if (s->frames >= roundTarget && s->frames - completed < roundTarget) subscribersDone++;
}

static int compareDoubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

// Publishes `rounds` times and reports min and median time until all subscribers have `frames` more frames.
static void measure(const char *name, int batch) {
  char path[64], body[4096], request[8192], response[4096];
  double *times = calloc((size_t)rounds, sizeof(double));
  for (int round = 0; round < rounds; round++) {
    if (batch) {
      snprintf(path, sizeof path, "/apps/%s/batch_events", appID);
      int used = snprintf(body, sizeof body, "{\"batch\":[");
      for (int k = 0; k < 10; k++)
        used += snprintf(body + used, sizeof body - (size_t)used, "%s{\"name\":\"tick\",\"channel\":\"bench\",\"data\":\"%s\"}",
                         k ? "," : "", eventData);
      snprintf(body + used, sizeof body - (size_t)used, "]}");
    } else {
      snprintf(path, sizeof path, "/apps/%s/events", appID);
      snprintf(body, sizeof body, "{\"name\":\"tick\",\"channels\":[\"bench\"],\"data\":\"%s\"}", eventData);
    }
    int length = signedRequest(request, sizeof request, path, body);
    int publisher = connectToServer();
    roundTarget = subscribers[0].frames + (batch ? 10 : 1);
    for (int i = 1; i < count; i++) if (subscribers[i].frames + (batch ? 10 : 1) != roundTarget) { fprintf(stderr, "uneven frames\n"); exit(1); }
    subscribersDone = 0;
    double start = now(), deadline = start + 30;
    writeAll(publisher, request, (size_t)length);
    while (subscribersDone < count) {
      if (now() > deadline) { fprintf(stderr, "%s: only %d of %d subscribers got round %d in 30 s\n", name, subscribersDone, count, round); exit(1); }
      readReady(1000, countDone);
    }
    times[round] = now() - start;
    ssize_t got = read(publisher, response, sizeof response - 1);
    if (got < 12 || strncmp(response + 9, "200", 3) != 0) {
      response[got > 0 ? got : 0] = 0;
      fprintf(stderr, "%s: the publish was refused: %.200s\n", name, response);
      exit(1);
    }
    close(publisher);
    usleep(50 * 1000);
  }
  qsort(times, (size_t)rounds, sizeof(double), compareDoubles);
  printf("chorus %s: n=%d rounds=%d  fan-out to all: min %.2f ms  median %.2f ms\n", name, count, rounds, times[0] * 1e3,
         times[rounds / 2] * 1e3);
  fflush(stdout);
  free(times);
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: fanout_subscribers PORT N ROUNDS SERVER_PID [APP_ID KEY SECRET]\n");
    return 2;
  }
  port = atoi(argv[1]), count = atoi(argv[2]), rounds = atoi(argv[3]), serverPID = atoi(argv[4]);
  if (argc > 7) appID = argv[5], appKey = argv[6], appSecret = argv[7];
  struct rlimit limit;
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  subscribers = calloc((size_t)count, sizeof(subscriber_t));
  epollFD = epoll_create1(0);

  long before = residentKB();
  double start = now();
  subscribeAll();
  printf("chorus subscribe: %d connections subscribed in %.2f s\n", count, now() - start);
  sleep(1);
  long after = residentKB();
  printf("chorus rss: %.1f MB before, %.1f MB with %d idle subscribed connections, %.0f bytes per connection\n",
         before / 1024.0, after / 1024.0, count, (after - before) * 1024.0 / count);
  fflush(stdout);
  if (rounds == 0) return 0; // memory only (scripts/connection-memory.sh)

  measure("single", 0);
  measure("batch10", 1);
  return 0;
}
