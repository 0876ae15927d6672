// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// ReplicateClient::streamPrediction over loopback: recorded streams served by the fake server.
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "tests/replicate/clienttestutil.h"

using namespace brieflow;
using namespace brieflow::test;

namespace {

QByteArray recordedStream(const QString &name)
{
    const QJsonObject o = QJsonDocument::fromJson(replicateData(name)).object();
    return o.value(QStringLiteral("body")).toString().toUtf8();
}

Prediction streamingPrediction(const QUrl &streamUrl)
{
    Prediction p;
    p.id = QStringLiteral("ufawqhfynnddngldkgtslldrkq");
    p.status = PredictionStatus::Starting;
    p.streamUrl = streamUrl;
    return p;
}

FakeHttpServer::Response sse(const QByteArray &body)
{
    FakeHttpServer::Response r;
    r.status = 200;
    r.body = body;
    r.header("Content-Type", "text/event-stream");
    return r;
}

} // namespace

class TestReplicateStreaming : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tokensArriveAndTheStreamEnds_data();
    void tokensArriveAndTheStreamEnds();
    void requestCarriesStreamHeaders();
    void tokenGoesOnlyToTheApiOrigin();
    void errorPageIsAnError();
    void noStreamUrlIsRefusedWithoutSending();
    void abortEndsTheStream();
};

void TestReplicateStreaming::tokensArriveAndTheStreamEnds_data()
{
    QTest::addColumn<QString>("recording");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("end");
    QTest::newRow("output then done")
        << QStringLiteral("sse-output-then-done.json") << QStringLiteral("hello worldhello dave")
        << int(StreamEnd::Succeeded);
    QTest::newRow("ends without done")
        << QStringLiteral("sse-ends-without-done.json") << QString() << int(StreamEnd::EndedEarly);
    QTest::newRow("error event") << QStringLiteral("sse-error-event.json") << QString()
                                 << int(StreamEnd::Failed);
}

void TestReplicateStreaming::tokensArriveAndTheStreamEnds()
{
    QFETCH(QString, recording);
    QFETCH(QString, text);
    QFETCH(int, end);
    FakeHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(sse(recordedStream(recording)));
    FakeClock clock;
    auto client = makeClient(server.baseUrl(), &clock);

    QString received;
    Waiter<StreamEnd> waiter;
    QObject context;
    client->streamPrediction(
        streamingPrediction(server.origin().resolved(QUrl(QStringLiteral("/v1/streams/abc")))),
        &context,
        [&received](const QList<StreamChunk> &chunks) {
            for (const StreamChunk &c : chunks) {
                if (c.kind == StreamChunk::Kind::Text)
                    received += c.value;
            }
        },
        waiter.callback());
    QVERIFY(waiter.wait());
    QVERIFY(waiter->ok());
    QCOMPARE(int(waiter->value()), end);
    if (!text.isNull())
        QCOMPARE(received, text);
    QCOMPARE(waiter.calls, 1);
    QTRY_COMPARE(client->inFlightCount(), 0); // the stream's slot is given back
}

void TestReplicateStreaming::requestCarriesStreamHeaders()
{
    FakeHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(sse(recordedStream(QStringLiteral("sse-output-then-done.json"))));
    FakeClock clock;
    auto client = makeClient(server.baseUrl(), &clock);
    Waiter<StreamEnd> waiter;
    QObject context;
    client->streamPrediction(
        streamingPrediction(server.origin().resolved(QUrl(QStringLiteral("/v1/streams/abc")))),
        &context, {}, waiter.callback());
    QVERIFY(waiter.wait());
    QCOMPARE(server.requests().size(), 1);
    const auto &request = server.requests().first();
    QCOMPARE(request.method, QByteArray("GET"));
    QCOMPARE(request.header("Accept"), QByteArray("text/event-stream"));
    QCOMPARE(request.header("Authorization"), "Bearer " + kCanaryToken.toUtf8());
    QVERIFY(request.header("User-Agent").startsWith("Brieflow/"));
}

void TestReplicateStreaming::tokenGoesOnlyToTheApiOrigin()
{
    FakeHttpServer api;
    FakeHttpServer other;
    QVERIFY(api.listen());
    QVERIFY(other.listen());
    other.enqueue(sse(recordedStream(QStringLiteral("sse-output-then-done.json"))));
    FakeClock clock;
    auto client = makeClient(api.baseUrl(), &clock);
    Waiter<StreamEnd> waiter;
    QObject context;
    // Another port is another origin: plain http to it must not carry the token.
    client->streamPrediction(
        streamingPrediction(other.origin().resolved(QUrl(QStringLiteral("/v1/streams/x")))),
        &context, {}, waiter.callback());
    QVERIFY(waiter.wait());
    QCOMPARE(other.requests().size(), 1);
    QVERIFY(!other.requests().first().hasHeader("Authorization"));
}

void TestReplicateStreaming::errorPageIsAnError()
{
    FakeHttpServer server;
    QVERIFY(server.listen());
    server.enqueue(FakeHttpServer::Response::file(
        404, replicateDataPath(QStringLiteral("error-404-not-found.json"))));
    FakeClock clock;
    auto client = makeClient(server.baseUrl(), &clock);
    Waiter<StreamEnd> waiter;
    QObject context;
    int chunks = 0;
    client->streamPrediction(
        streamingPrediction(server.origin().resolved(QUrl(QStringLiteral("/v1/streams/gone")))),
        &context, [&chunks](const QList<StreamChunk> &c) { chunks += int(c.size()); },
        waiter.callback());
    QVERIFY(waiter.wait());
    QVERIFY(!waiter->ok());
    QCOMPARE(toString(waiter->error().kind), toString(ProviderError::Kind::NotFound));
    QCOMPARE(chunks, 0);
}

void TestReplicateStreaming::noStreamUrlIsRefusedWithoutSending()
{
    FakeHttpServer server;
    QVERIFY(server.listen());
    FakeClock clock;
    auto client = makeClient(server.baseUrl(), &clock);
    Waiter<StreamEnd> waiter;
    QObject context;
    client->streamPrediction(streamingPrediction(QUrl()), &context, {}, waiter.callback());
    QCOMPARE(waiter.calls, 0); // never inside the call
    QVERIFY(waiter.wait());
    QCOMPARE(toString(waiter->error().kind), toString(ProviderError::Kind::InvalidRequest));
    QVERIFY(!waiter->error().mayHaveReachedServer);
    QCOMPARE(server.requests().size(), 0);
}

void TestReplicateStreaming::abortEndsTheStream()
{
    FakeHttpServer server;
    QVERIFY(server.listen());
    // Headers and a first event, then silence for longer than the test.
    auto response = sse("event: output\nid: 1\ndata: first\n\n");
    response.delay(5000);
    server.enqueue(response);
    FakeClock clock;
    auto client = makeClient(server.baseUrl(), &clock);
    Waiter<StreamEnd> waiter;
    QObject context;
    const CallHandle handle = client->streamPrediction(
        streamingPrediction(server.origin().resolved(QUrl(QStringLiteral("/v1/streams/slow")))),
        &context, {}, waiter.callback());
    QTRY_COMPARE(server.requests().size(), 1);
    handle.abort();
    QVERIFY(waiter.wait(2000));
    QVERIFY(!waiter->ok());
    QCOMPARE(toString(waiter->error().kind), toString(ProviderError::Kind::Canceled));
    QTRY_COMPARE(client->inFlightCount(), 0);
}

QTEST_GUILESS_MAIN(TestReplicateStreaming)
#include "tst_replicatestreaming.moc"
