// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QSignalSpy>
#include <QTest>

#include "core/replicate/replicatestream.h"
#include "core/replicate/replicatestreamreader.h"
#include "tests/stream/ssetestdata.h"

using namespace brieflow;
using namespace brieflow::test;

namespace {

/** Everything a decoder ends up with, as comparable text. */
QString summary(const ReplicateStreamDecoder &d)
{
    return QStringLiteral("state=%1 text=[%2] files=[%3] logs=[%4] error=[%5] reason=[%6] id=%7 "
                          "dropped=%8")
        .arg(toString(d.state()), d.text(), d.files().join(QLatin1Char(',')), d.logs(),
             d.errorMessage(), d.doneReason(), d.lastEventId(),
             d.droppedUnterminatedEvent() ? QStringLiteral("yes") : QStringLiteral("no"));
}

ReplicateStreamDecoder decodeChunks(const QList<QByteArray> &chunks,
                                    ReplicateStreamDecoder::Options options = {})
{
    ReplicateStreamDecoder decoder(options);
    for (const QByteArray &chunk : chunks)
        decoder.feed(chunk);
    decoder.finish();
    return decoder;
}

/** A QNetworkReply whose bytes and end the test pushes by hand. */
class FakeReply final : public QNetworkReply {
public:
    FakeReply()
    {
        setOpenMode(QIODevice::ReadOnly | QIODevice::Unbuffered);
        setFinished(false);
    }
    void push(const QByteArray &bytes)
    {
        m_buffer += bytes;
        Q_EMIT readyRead();
    }
    void end(NetworkError error = NoError)
    {
        if (error != NoError)
            setError(error, QStringLiteral("fake error"));
        setFinished(true);
        Q_EMIT finished();
    }
    void abort() override
    {
        m_aborted = true;
        end(OperationCanceledError);
    }
    bool aborted() const { return m_aborted; }
    qint64 bytesAvailable() const override
    {
        return m_buffer.size() + QNetworkReply::bytesAvailable();
    }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::min<qint64>(maxSize, m_buffer.size());
        std::copy_n(m_buffer.constData(), n, data);
        m_buffer.remove(0, n);
        return n;
    }

private:
    QByteArray m_buffer;
    bool m_aborted = false;
};

} // namespace

class TestReplicateStream : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void recordedStreams_data();
    void recordedStreams();
    void doneReasons_data();
    void doneReasons();
    void errorMessages_data();
    void errorMessages();
    void logsAreOneLineEach();
    void truncatedDoneIsPrematureEnd();
    void eventsAfterTheEndAreIgnored();
    void itemsArriveIncrementally();
    void outputKindCanBeForced();
    void looksLikeFile_data();
    void looksLikeFile();
    void hostileStreamIsCapped();
    void readerFeedsFromAReply();
    void readerReportsPrematureEnd();
};

void TestReplicateStream::recordedStreams_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");

    QTest::newRow("output then done")
        << QStringLiteral("sse-output-then-done.json")
        << QStringLiteral("state=succeeded text=[hello worldhello dave] files=[] logs=[] error=[] "
                          "reason=[] id=EVENT_3 dropped=no");
    QTest::newRow("comment and multi-line data")
        << QStringLiteral("sse-comment-and-multiline-data.json")
        << QStringLiteral("state=succeeded text=[hello,\nthis is a new line,\nand this is a new "
                          "line too] files=[] logs=[] error=[] reason=[] id=EVENT_2 dropped=no");
    QTest::newRow("error event")
        << QStringLiteral("sse-error-event.json")
        << QStringLiteral("state=failed text=[hello world] files=[] logs=[] error=[An unexpected "
                          "error occurred] reason=[] id=EVENT_2 dropped=no");
    QTest::newRow("ends without done")
        << QStringLiteral("sse-ends-without-done.json")
        << QStringLiteral("state=ended_without_done text=[hello world] files=[] logs=[] error=[] "
                          "reason=[] id=EVENT_1 dropped=no");
    QTest::newRow("file outputs")
        << QStringLiteral("sse-file-outputs.json")
        << QStringLiteral("state=succeeded text=[] files=[data:image/png;base64,iVBORw0KGgoAAAANS"
                          "UhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAAABJRU5"
                          "ErkJggg==,https://delivery.replicate.com/my_file.png] logs=[] error=[] "
                          "reason=[] id=EVENT_3 dropped=no");
    QTest::newRow("docs example (no done)")
        << QStringLiteral("sse-docs-output-example.json")
        << QStringLiteral("state=ended_without_done text=[Once upon a time...] files=[] logs=[] "
                          "error=[] reason=[] id=1690212292:0 dropped=no");
}

void TestReplicateStream::recordedStreams()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);

    const QByteArray bytes = sseRecording(file);
    QVERIFY(!bytes.isEmpty());
    QCOMPARE(summary(decodeChunks({bytes})), expected);
    for (qsizetype at = 0; at <= bytes.size(); ++at)
        QCOMPARE(summary(decodeChunks(splitAt(bytes, {at}))), expected);
    QList<QByteArray> single;
    for (const char c : bytes)
        single.append(QByteArray(1, c));
    QCOMPARE(summary(decodeChunks(single)), expected);
}

void TestReplicateStream::doneReasons_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<ReplicateStreamState>("state");
    QTest::addColumn<QString>("reason");

    QTest::newRow("{}") << QByteArray("{}") << ReplicateStreamState::Succeeded << QString();
    QTest::newRow("canceled") << QByteArray(R"({"reason":"canceled"})")
                              << ReplicateStreamState::Canceled << QStringLiteral("canceled");
    QTest::newRow("error") << QByteArray(R"({"reason":"error"})") << ReplicateStreamState::Failed
                           << QStringLiteral("error");
    QTest::newRow("unknown reason") << QByteArray(R"({"reason":"timeout"})")
                                    << ReplicateStreamState::Failed << QStringLiteral("timeout");
    QTest::newRow("empty reason") << QByteArray(R"({"reason":""})")
                                  << ReplicateStreamState::Succeeded << QString();
    QTest::newRow("not JSON") << QByteArray("bye") << ReplicateStreamState::Succeeded << QString();
}

void TestReplicateStream::doneReasons()
{
    QFETCH(QByteArray, data);
    QFETCH(ReplicateStreamState, state);
    QFETCH(QString, reason);

    ReplicateStreamDecoder decoder;
    const auto items =
        decoder.feed(QByteArray("event: output\ndata: hi\n\nevent: done\ndata: " + data + "\n\n"));
    QCOMPARE(toString(decoder.state()), toString(state));
    QCOMPARE(decoder.doneReason(), reason);
    QCOMPARE(items.size(), 2);
    QCOMPARE(items.last().kind, ReplicateStreamItem::Kind::Done);
    QCOMPARE(items.last().value, reason);
    decoder.finish();
    QCOMPARE(toString(decoder.state()),
             toString(state)); // the end of the connection changes nothing now
}

void TestReplicateStream::errorMessages_data()
{
    QTest::addColumn<QString>("data");
    QTest::addColumn<QString>("message");

    QTest::newRow("text") << QStringLiteral("An unexpected error occurred")
                          << QStringLiteral("An unexpected error occurred");
    QTest::newRow("problem details")
        << QStringLiteral(R"({"title":"Oops","detail":"CUDA OOM"})") << QStringLiteral("CUDA OOM");
    QTest::newRow("message key") << QStringLiteral(R"({"message":"bad input"})")
                                 << QStringLiteral("bad input");
    QTest::newRow("title only") << QStringLiteral(R"({"title":"Oops"})") << QStringLiteral("Oops");
    QTest::newRow("JSON string") << QStringLiteral(R"("quoted")") << QStringLiteral("quoted");
    QTest::newRow("other object") << QStringLiteral(R"({"code": 7})")
                                  << QStringLiteral(R"({"code":7})");
    QTest::newRow("number") << QStringLiteral("42") << QStringLiteral("42");
    QTest::newRow("multi-line text")
        << QStringLiteral("line 1\nline 2") << QStringLiteral("line 1\nline 2");
}

void TestReplicateStream::errorMessages()
{
    QFETCH(QString, data);
    QFETCH(QString, message);
    QCOMPARE(ReplicateStreamDecoder::errorMessageFromData(data), message);

    QByteArray stream = "event: error\n";
    for (const QString &line : data.split(QLatin1Char('\n')))
        stream += "data: " + line.toUtf8() + "\n";
    ReplicateStreamDecoder decoder;
    decoder.feed(QByteArray(stream + "\n"));
    QCOMPARE(toString(decoder.state()), toString(ReplicateStreamState::Failed));
    QCOMPARE(decoder.errorMessage(), message);
}

void TestReplicateStream::logsAreOneLineEach()
{
    ReplicateStreamDecoder decoder;
    decoder.feed("event: logs\ndata: step 1\n\nevent: logs\ndata: step 2\ndata: \n\n"
                 "event: logs\ndata: step 3\n\nevent: output\ndata: x\n\n");
    QCOMPARE(decoder.logs(), QStringLiteral("step 1\nstep 2\nstep 3"));
    QCOMPARE(decoder.text(), QStringLiteral("x"));
    QCOMPARE(toString(decoder.state()), toString(ReplicateStreamState::Open));
}

void TestReplicateStream::truncatedDoneIsPrematureEnd()
{
    ReplicateStreamDecoder decoder;
    decoder.feed("event: output\ndata: hi\n\nevent: done\ndata: {}\n"); // no blank line
    QCOMPARE(toString(decoder.state()), toString(ReplicateStreamState::Open));
    decoder.finish();
    QCOMPARE(toString(decoder.state()), toString(ReplicateStreamState::EndedWithoutDone));
    QVERIFY(decoder.droppedUnterminatedEvent());
    QCOMPARE(decoder.text(), QStringLiteral("hi"));
}

void TestReplicateStream::eventsAfterTheEndAreIgnored()
{
    ReplicateStreamDecoder decoder;
    const auto items = decoder.feed("event: error\ndata: boom\n\nevent: done\ndata: {}\n\n"
                                    "event: output\ndata: late\n\n");
    QCOMPARE(items.size(), 1);
    QCOMPARE(toString(decoder.state()), toString(ReplicateStreamState::Failed));
    QCOMPARE(decoder.errorMessage(), QStringLiteral("boom"));
    QVERIFY(decoder.feed("event: output\ndata: later\n\n").isEmpty());
    QVERIFY(decoder.text().isEmpty());
}

void TestReplicateStream::itemsArriveIncrementally()
{
    using Kind = ReplicateStreamItem::Kind;
    ReplicateStreamDecoder decoder;
    QVERIFY(decoder.feed("event: output\nid: 1:0\ndata: Hel").isEmpty());
    auto items =
        decoder.feed("lo\n\nevent: output\nid: 1:1\ndata: , world\n\nevent: ping\ndata: x\n\n");
    QCOMPARE(items, (QList<ReplicateStreamItem>{
                        {Kind::Text, QStringLiteral("Hello"), QStringLiteral("1:0")},
                        {Kind::Text, QStringLiteral(", world"), QStringLiteral("1:1")}}));
    items = decoder.feed("event: logs\ndata: l\n\nevent: done\ndata: {}\n\n");
    QCOMPARE(items,
             (QList<ReplicateStreamItem>{{Kind::Logs, QStringLiteral("l"), QStringLiteral("1:1")},
                                         {Kind::Done, QString(), QStringLiteral("1:1")}}));
    QCOMPARE(decoder.text(), QStringLiteral("Hello, world"));
    QCOMPARE(decoder.outputKind(), StreamOutputKind::Text);
}

void TestReplicateStream::outputKindCanBeForced()
{
    const QByteArray stream("event: output\ndata: https://example.com/a\n\n"
                            "event: output\ndata:  and more\n\nevent: done\ndata: {}\n\n");
    // Auto settles on the first output: a URL, so files (and stays there).
    ReplicateStreamDecoder automatic = decodeChunks({stream});
    QCOMPARE(automatic.files().size(), 2);
    QCOMPARE(automatic.outputKind(), StreamOutputKind::Files);
    // The schema said text (an LLM that printed a link): forced, nothing becomes a file.
    ReplicateStreamDecoder text = decodeChunks({stream}, {StreamOutputKind::Text});
    QCOMPARE(text.text(), QStringLiteral("https://example.com/a and more"));
    QVERIFY(text.files().isEmpty());
    ReplicateStreamDecoder files =
        decodeChunks({"event: output\ndata: hello\n\n"}, {StreamOutputKind::Files});
    QCOMPARE(files.files(), QStringList{QStringLiteral("hello")});
}

void TestReplicateStream::looksLikeFile_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("file");
    QTest::newRow("https") << QStringLiteral("https://replicate.delivery/pbxt/a/out-0.png") << true;
    QTest::newRow("http") << QStringLiteral("http://127.0.0.1:8080/files/x") << true;
    QTest::newRow("data URI") << QStringLiteral("data:image/png;base64,AAAA") << true;
    QTest::newRow("data URI, no type") << QStringLiteral("data:,hello") << true;
    QTest::newRow("data with spaces") << QStringLiteral("data: x, y") << false;
    QTest::newRow("data word") << QStringLiteral("data: is plural") << false;
    QTest::newRow("token") << QStringLiteral(" the") << false;
    QTest::newRow("sentence with URL") << QStringLiteral("see https://x.com") << false;
    QTest::newRow("URL with space") << QStringLiteral("https://x.com/a b") << false;
    QTest::newRow("no host") << QStringLiteral("https://") << false;
}

void TestReplicateStream::looksLikeFile()
{
    QFETCH(QString, value);
    QFETCH(bool, file);
    QCOMPARE(ReplicateStreamDecoder::looksLikeFile(value), file);
}

void TestReplicateStream::hostileStreamIsCapped()
{
    // One endless line.
    ReplicateStreamDecoder decoder({StreamOutputKind::Auto, 1024, 1 << 20});
    decoder.feed("event: output\ndata: ");
    for (int i = 0; i < 10 && !decoder.isFinished(); ++i)
        decoder.feed(QByteArray(200, 'x'));
    QCOMPARE(toString(decoder.state()), toString(ReplicateStreamState::TooLarge));
    QCOMPARE(decoder.limitError(), std::optional<SseError>(SseError::LineTooLong));

    // Many small, valid events: the total is capped too.
    ReplicateStreamDecoder flood({StreamOutputKind::Text, 1024, 100});
    QByteArray events;
    for (int i = 0; i < 20; ++i)
        events += "event: output\ndata: 0123456789\n\n";
    flood.feed(events);
    QCOMPARE(toString(flood.state()), toString(ReplicateStreamState::TooLarge));
    QCOMPARE(flood.limitError(), std::optional<SseError>(SseError::OutputTooLarge));
    QCOMPARE(flood.text().size(), 100);
    flood.finish();
    QCOMPARE(toString(flood.state()), toString(ReplicateStreamState::TooLarge));

    // The default limit is 1 MiB per event.
    ReplicateStreamDecoder standard;
    standard.feed(
        QByteArray("event: output\ndata: " + QByteArray(SseParser::DefaultMaxBytes, 'y')));
    QCOMPARE(toString(standard.state()), toString(ReplicateStreamState::TooLarge));
}

void TestReplicateStream::readerFeedsFromAReply()
{
    FakeReply reply;
    ReplicateStreamReader reader(&reply);
    QSignalSpy items(&reader, &ReplicateStreamReader::itemsReceived);
    QSignalSpy finished(&reader, &ReplicateStreamReader::finished);

    const QByteArray bytes = sseRecording(QStringLiteral("sse-output-then-done.json"));
    reply.push(bytes.left(30));
    reply.push(bytes.mid(30, 40));
    QCOMPARE(reader.decoder().text(), QStringLiteral("hello world"));
    QCOMPARE(finished.count(), 0);
    reply.push(bytes.mid(70));
    QCOMPARE(finished.count(), 1);
    QCOMPARE(toString(reader.decoder().state()), toString(ReplicateStreamState::Succeeded));
    QCOMPARE(reader.decoder().text(), QStringLiteral("hello worldhello dave"));
    QVERIFY(reply.aborted()); // done arrived: the connection is released at once
    QCOMPARE(reader.networkError(), QNetworkReply::OperationCanceledError);
    int received = 0;
    for (const QList<QVariant> &args : std::as_const(items))
        received += static_cast<int>(args.at(0).value<QList<ReplicateStreamItem>>().size());
    QCOMPARE(received, 3);
}

void TestReplicateStream::readerReportsPrematureEnd()
{
    FakeReply reply;
    ReplicateStreamReader reader(&reply);
    QSignalSpy finished(&reader, &ReplicateStreamReader::finished);
    reply.push("event: output\ndata: partial\n\nevent: out");
    reply.end(QNetworkReply::RemoteHostClosedError);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(toString(reader.decoder().state()), toString(ReplicateStreamState::EndedWithoutDone));
    QVERIFY(reader.decoder().droppedUnterminatedEvent());
    QCOMPARE(reader.networkError(), QNetworkReply::RemoteHostClosedError);
    QVERIFY(!reply.aborted());
    reply.end(); // a second finished() is harmless
    QCOMPARE(finished.count(), 1);
}

QTEST_GUILESS_MAIN(TestReplicateStream)
#include "tst_replicatestream.moc"
