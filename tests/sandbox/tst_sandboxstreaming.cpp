// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// urls.stream: Server-Sent Events framing and content against the sse-*.json recordings.
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>

#include "core/sandbox/sandboxserver.h"
#include "core/sandbox/streamhub.h"
#include "sandboxtestclient.h"

using namespace brieflow::sandbox;
using namespace brieflow::sandbox::test;

namespace {

const QString CreateText = QStringLiteral("/v1/models/meta/meta-llama-3-8b-instruct/predictions");

struct SseEvent {
    QString event;
    QString id;
    QString data;
};

/** A strict SSE parser: every event must carry "event:" and "id:", as Python's client needs. */
struct SseStream {
    QList<SseEvent> events;
    QStringList comments;
    bool wellFormed = true;

    static SseStream parse(const QByteArray &body)
    {
        SseStream s;
        SseEvent current;
        QStringList data;
        bool any = false;
        const QList<QByteArray> lines = body.split('\n');
        for (const QByteArray &raw : lines) {
            const QString line = QString::fromUtf8(raw);
            if (line.isEmpty()) {
                if (any) {
                    current.data = data.join(QLatin1Char('\n'));
                    s.wellFormed =
                        s.wellFormed && !current.event.isEmpty() && !current.id.isEmpty();
                    s.events.append(current);
                }
                current = {};
                data.clear();
                any = false;
            } else if (line.startsWith(QLatin1Char(':'))) {
                s.comments.append(line.mid(1).trimmed());
            } else {
                const qsizetype colon = line.indexOf(QLatin1Char(':'));
                const QString field = line.left(colon);
                QString value = colon < 0 ? QString() : line.mid(colon + 1);
                if (value.startsWith(QLatin1Char(' ')))
                    value.remove(0, 1);
                any = true;
                if (field == QLatin1String("event"))
                    current.event = value;
                else if (field == QLatin1String("id"))
                    current.id = value;
                else if (field == QLatin1String("data"))
                    data.append(value);
            }
        }
        s.wellFormed = s.wellFormed && !any; // the last event was terminated
        return s;
    }
};

} // namespace

class TestSandboxStreaming : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void frameFormat();
    void recordedStreamsParse();
    void streamsTokensAsTheyCome();
    void streamAfterCompletionReplays();
    void failedPredictionEndsWithError();
    void canceledPredictionEndsWithReason();
    void unknownStream();
    void streamOnAnotherHostAlias();

private:
    struct Received {
        int status = 0;
        QByteArray contentType;
        QByteArray body;
        int chunks = 0;
    };
    Received readStream(const QString &url, int timeoutMs = 5000);
    QJsonObject createText(const QByteArray &prompt);

    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<SandboxTestClient> m_client;
};

void TestSandboxStreaming::init()
{
    m_server = std::make_unique<SandboxServer>(testConfig());
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_client = std::make_unique<SandboxTestClient>(*m_server);
}

void TestSandboxStreaming::cleanup()
{
    m_client.reset();
    m_server.reset();
}

TestSandboxStreaming::Received TestSandboxStreaming::readStream(const QString &url, int timeoutMs)
{
    // No Authorization, as the JS client does; Python sends it, which is fine too.
    QNetworkRequest request{QUrl(url)};
    request.setRawHeader("Accept", "text/event-stream");
    request.setRawHeader("Cache-Control", "no-store");
    QNetworkReply *reply = m_client->network().get(request);
    Received r;
    QObject::connect(reply, &QNetworkReply::readyRead, reply, [reply, &r] {
        r.body += reply->readAll();
        ++r.chunks;
    });
    QSignalSpy finished(reply, &QNetworkReply::finished);
    finished.wait(timeoutMs);
    r.body += reply->readAll();
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    reply->deleteLater();
    return r;
}

QJsonObject TestSandboxStreaming::createText(const QByteArray &prompt)
{
    const HttpResult r =
        m_client->post(CreateText, "{\"input\":{\"prompt\":\"" + prompt + "\"},\"stream\":true}");
    return r.json();
}

void TestSandboxStreaming::frameFormat()
{
    QCOMPARE(StreamHub::frame("output", "1690212292:0", QStringLiteral("Once upon a time...")),
             QByteArray("event: output\nid: 1690212292:0\ndata: Once upon a time...\n\n"));
    // Multi-line data becomes several data: lines, as in the recorded nchan stream.
    const QByteArray multi =
        StreamHub::frame("output", "EVENT_1",
                         QStringLiteral("hello,\nthis is a new line,\nand this is a new line too"));
    const QJsonObject recorded =
        recordedJson(QStringLiteral("sse-comment-and-multiline-data.json"));
    QVERIFY(recorded.value(QStringLiteral("body")).toString().toUtf8().contains(multi));
    // A token made of line breaks survives the round trip.
    const SseStream s = SseStream::parse(StreamHub::frame("output", "1:0", QStringLiteral("\n\n")));
    QCOMPARE(s.events.size(), 1);
    QCOMPARE(s.events.at(0).data, QStringLiteral("\n\n"));
}

void TestSandboxStreaming::recordedStreamsParse()
{
    // Our parser agrees with the recordings; the sandbox is checked against the same parser.
    const SseStream s = SseStream::parse(recordedJson(QStringLiteral("sse-output-then-done.json"))
                                             .value(QStringLiteral("body"))
                                             .toString()
                                             .toUtf8());
    QVERIFY(s.wellFormed);
    QCOMPARE(s.events.size(), 3);
    QCOMPARE(s.events.last().event, QStringLiteral("done"));
    QCOMPARE(s.events.last().data, QStringLiteral("{}"));
}

void TestSandboxStreaming::streamsTokensAsTheyCome()
{
    m_server->setLatency(QStringLiteral("text"), LatencyDistribution::fixed(50, 400));
    const QJsonObject created = createText("Product name: Lumen\\nWrite a concept.");
    QCOMPARE(created.value(QStringLiteral("stream")).toBool(), true);
    const QString url =
        created.value(QStringLiteral("urls")).toObject().value(QStringLiteral("stream")).toString();
    const Received r = readStream(url);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.contentType, QByteArray("text/event-stream"));
    QVERIFY2(r.chunks > 3, qPrintable(QString::number(r.chunks))); // events arrived over time
    const SseStream s = SseStream::parse(r.body);
    QVERIFY(s.wellFormed);
    QCOMPARE(s.comments.value(0), QStringLiteral("hi"));
    QString streamed;
    QStringList ids;
    for (const SseEvent &e : s.events) {
        QVERIFY2(e.id.contains(QLatin1Char(':')), qPrintable(e.id)); // "<unix seconds>:<n>"
        ids.append(e.id);
        if (e.event == QLatin1String("output"))
            streamed += e.data;
        else
            QVERIFY2(e.event == QLatin1String("logs") || e.event == QLatin1String("done"),
                     qPrintable(e.event));
    }
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), ids.size());
    QCOMPARE(s.events.last().event, QStringLiteral("done"));
    QCOMPARE(s.events.last().data, QStringLiteral("{}"));
    const QJsonObject done =
        m_client->waitUntilDone(created.value(QStringLiteral("id")).toString());
    QString polled;
    for (const auto &token : done.value(QStringLiteral("output")).toArray())
        polled += token.toString();
    QCOMPARE(streamed, polled);
    QVERIFY(streamed.contains(QStringLiteral("Lumen")));
}

void TestSandboxStreaming::streamAfterCompletionReplays()
{
    const HttpResult r =
        m_client->post(CreateText, "{\"input\":{\"prompt\":\"hi\"}}", {{"Prefer", "wait"}});
    const QJsonObject done = r.json();
    QCOMPARE(done.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
    const Received received = readStream(
        done.value(QStringLiteral("urls")).toObject().value(QStringLiteral("stream")).toString());
    const SseStream s = SseStream::parse(received.body);
    QVERIFY(s.wellFormed);
    QString streamed;
    for (const SseEvent &e : s.events) {
        if (e.event == QLatin1String("output"))
            streamed += e.data;
    }
    QString polled;
    for (const auto &token : done.value(QStringLiteral("output")).toArray())
        polled += token.toString();
    QCOMPARE(streamed, polled);
    QCOMPARE(s.events.last().event, QStringLiteral("done"));
}

void TestSandboxStreaming::failedPredictionEndsWithError()
{
    FaultRule rule;
    rule.kind = FaultKind::FailPrediction;
    rule.errorText = QStringLiteral("CUDA out of memory");
    m_server->addFault(rule);
    m_server->setLatency(QStringLiteral("text"), LatencyDistribution::fixed(0, 200));
    const QJsonObject created = createText("hi");
    const Received r = readStream(created.value(QStringLiteral("urls"))
                                      .toObject()
                                      .value(QStringLiteral("stream"))
                                      .toString());
    const SseStream s = SseStream::parse(r.body);
    QVERIFY(s.wellFormed);
    QVERIFY(s.events.size() >= 2);
    const SseEvent error = s.events.at(s.events.size() - 2);
    QCOMPARE(error.event, QStringLiteral("error"));
    QCOMPARE(error.data, QStringLiteral("CUDA out of memory"));
    QCOMPARE(s.events.last().event, QStringLiteral("done"));
    QCOMPARE(s.events.last().data, QStringLiteral("{\"reason\":\"error\"}"));
}

void TestSandboxStreaming::canceledPredictionEndsWithReason()
{
    m_server->setLatency(QStringLiteral("text"), LatencyDistribution::fixed(0, 60000));
    const QJsonObject created = createText("hi");
    const QString id = created.value(QStringLiteral("id")).toString();
    QNetworkRequest request{QUrl(created.value(QStringLiteral("urls"))
                                     .toObject()
                                     .value(QStringLiteral("stream"))
                                     .toString())};
    QNetworkReply *reply = m_client->network().get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QTRY_COMPARE(m_server->openStreams(), 1);
    QCOMPARE(m_client->post(QStringLiteral("/v1/predictions/%1/cancel").arg(id), {}).status, 200);
    QVERIFY(finished.count() > 0 || finished.wait(5000));
    const SseStream s = SseStream::parse(reply->readAll());
    QVERIFY(s.wellFormed);
    QCOMPARE(s.events.last().event, QStringLiteral("done"));
    QCOMPARE(s.events.last().data, QStringLiteral("{\"reason\":\"canceled\"}"));
    QCOMPARE(m_server->openStreams(), 0);
    reply->deleteLater();
}

void TestSandboxStreaming::unknownStream()
{
    const Received r = readStream(m_server->origin() + QStringLiteral("/v1/streams/nosuchstream"));
    QCOMPARE(r.status, 404);
}

void TestSandboxStreaming::streamOnAnotherHostAlias()
{
    // Like Replicate's separate streaming host: same server, another name for it.
    SandboxConfig config = testConfig();
    config.streamHost = QStringLiteral("localhost");
    m_client.reset();
    m_server = std::make_unique<SandboxServer>(config);
    QVERIFY(m_server->start());
    m_client = std::make_unique<SandboxTestClient>(*m_server);
    const QJsonObject created = createText("hi");
    const QString url =
        created.value(QStringLiteral("urls")).toObject().value(QStringLiteral("stream")).toString();
    QVERIFY2(
        url.startsWith(QStringLiteral("http://localhost:%1/v1/streams/").arg(m_server->port())),
        qPrintable(url));
    QCOMPARE(
        created.value(QStringLiteral("urls")).toObject().value(QStringLiteral("get")).toString(),
        m_server->origin() + QStringLiteral("/v1/predictions/")
            + created.value(QStringLiteral("id")).toString());
    const Received r = readStream(url);
    QCOMPARE(r.status, 200);
    QCOMPARE(SseStream::parse(r.body).events.last().event, QStringLiteral("done"));
}

QTEST_GUILESS_MAIN(TestSandboxStreaming)
#include "tst_sandboxstreaming.moc"
