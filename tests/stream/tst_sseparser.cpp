// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>

#include "core/replicate/sseparser.h"
#include "tests/stream/ssetestdata.h"

using namespace brieflow;
using namespace brieflow::test;

namespace {

/** One line per event, so a failing QCOMPARE shows what differs. */
QStringList describe(const QList<SseEvent> &events)
{
    QStringList lines;
    for (const SseEvent &e : events) {
        QString data = e.data;
        data.replace(QLatin1Char('\n'), QLatin1String("\\n"));
        lines << QStringLiteral("%1|%2|%3|%4")
                     .arg(e.type, e.lastEventId, data,
                          e.retryMs ? QString::number(*e.retryMs) : QStringLiteral("-"));
    }
    return lines;
}

struct Run {
    QStringList events;
    bool clean = true;
    std::optional<SseError> error;
};

Run parseChunks(const QList<QByteArray> &chunks, qsizetype maxBytes = SseParser::DefaultMaxBytes)
{
    SseParser parser(maxBytes);
    QList<SseEvent> events;
    for (const QByteArray &chunk : chunks)
        events += parser.feed(chunk);
    Run run;
    run.error = parser.error();
    run.clean = parser.finish().clean;
    run.events = describe(events);
    return run;
}

Run parseWhole(const QByteArray &bytes, qsizetype maxBytes = SseParser::DefaultMaxBytes)
{
    return parseChunks({bytes}, maxBytes);
}

/** Whole, byte by byte, and split in two at every offset: all must agree with the whole. */
void checkSplitInvariance(const QByteArray &bytes, qsizetype maxBytes = SseParser::DefaultMaxBytes)
{
    const Run whole = parseWhole(bytes, maxBytes);
    QList<QByteArray> single;
    for (const char c : bytes)
        single.append(QByteArray(1, c));
    const Run bytewise = parseChunks(single, maxBytes);
    QCOMPARE(bytewise.events, whole.events);
    QCOMPARE(bytewise.clean, whole.clean);
    QCOMPARE(bytewise.error, whole.error);
    for (qsizetype at = 0; at <= bytes.size(); ++at) {
        const Run split = parseChunks(splitAt(bytes, {at}), maxBytes);
        QVERIFY2(split.events == whole.events, qPrintable(QStringLiteral("split at %1").arg(at)));
        QCOMPARE(split.clean, whole.clean);
        QCOMPARE(split.error, whole.error);
    }
}

} // namespace

class TestSseParser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void recordedStreams_data();
    void recordedStreams();
    void lineEndings_data();
    void lineEndings();
    void fields_data();
    void fields();
    void idPersistsAcrossEvents();
    void byteOrderMark_data();
    void byteOrderMark();
    void utf8SplitAnywhere();
    void retryField();
    void unterminatedFinalEvent_data();
    void unterminatedFinalEvent();
    void oversizeLineIsAnError();
    void oversizeEventIsAnError();
    void errorKeepsEarlierEventsAndStopsParsing();
    void finishReadiesAReconnect();
};

void TestSseParser::recordedStreams_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("ending");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<bool>("clean");

    const QHash<QString, QStringList> expected{
        {QStringLiteral("sse-comment-and-multiline-data.json"),
         {QStringLiteral("output|EVENT_1|hello,\\nthis is a new line,\\nand this is a new line "
                         "too|-"),
          QStringLiteral("done|EVENT_2|{}|-")}},
        {QStringLiteral("sse-docs-output-example.json"),
         {QStringLiteral("output|1690212292:0|Once upon a time...|-")}},
        {QStringLiteral("sse-ends-without-done.json"),
         {QStringLiteral("output|EVENT_1|hello world|-")}},
        {QStringLiteral("sse-error-event.json"),
         {QStringLiteral("output|EVENT_1|hello world|-"),
          QStringLiteral("error|EVENT_2|An unexpected error occurred|-")}},
        {QStringLiteral("sse-file-outputs.json"),
         {QStringLiteral("output|EVENT_1|data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"
                         "CAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAAABJRU5ErkJggg==|-"),
          QStringLiteral("output|EVENT_2|https://delivery.replicate.com/my_file.png|-"),
          QStringLiteral("done|EVENT_3|{}|-")}},
        {QStringLiteral("sse-output-then-done.json"),
         {QStringLiteral("output|EVENT_1|hello world|-"),
          QStringLiteral("output|EVENT_2|hello dave|-"), QStringLiteral("done|EVENT_3|{}|-")}},
    };
    QCOMPARE(expected.size(), sseRecordingNames().size());
    const QList<std::pair<const char *, QByteArray>> endings{
        {"LF", "\n"}, {"CRLF", "\r\n"}, {"CR", "\r"}};
    for (const QString &name : sseRecordingNames()) {
        for (const auto &[label, ending] : endings) {
            QTest::addRow("%s %s", qPrintable(name), label)
                << name << ending << expected.value(name) << true;
        }
    }
}

void TestSseParser::recordedStreams()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, ending);
    QFETCH(QStringList, expected);
    QFETCH(bool, clean);

    const QByteArray bytes = withLineEnding(sseRecording(file), ending);
    QVERIFY(!bytes.isEmpty());
    const Run whole = parseWhole(bytes);
    QCOMPARE(whole.events, expected);
    QCOMPARE(whole.clean, clean);
    QVERIFY(!whole.error);
    checkSplitInvariance(bytes);
}

void TestSseParser::lineEndings_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("expected");

    const QStringList two{QStringLiteral("message||a\\nb|-"), QStringLiteral("message||c|-")};
    QTest::newRow("LF") << QByteArray("data: a\ndata: b\n\ndata: c\n\n") << two;
    QTest::newRow("CRLF") << QByteArray("data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n") << two;
    QTest::newRow("CR") << QByteArray("data: a\rdata: b\r\rdata: c\r\r") << two;
    QTest::newRow("mixed") << QByteArray("data: a\rdata: b\r\n\ndata: c\n\r") << two;
    // "\n\r" is two line ends (LF, then CR): a blank line after the data.
    QTest::newRow("LF then CR") << QByteArray("data: a\n\rdata: c\r\n\r\n")
                                << QStringList{QStringLiteral("message||a|-"),
                                               QStringLiteral("message||c|-")};
    QTest::newRow("CR CR LF") << QByteArray("data: a\r\r\ndata: c\n\n")
                              << QStringList{QStringLiteral("message||a|-"),
                                             QStringLiteral("message||c|-")};
}

void TestSseParser::lineEndings()
{
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, expected);
    QCOMPARE(parseWhole(stream).events, expected);
    checkSplitInvariance(stream);
}

void TestSseParser::fields_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("comments are skipped") << QByteArray(": hi\n\n:\ndata: x\n: between\n\n")
                                          << QStringList{QStringLiteral("message||x|-")};
    QTest::newRow("default type is message")
        << QByteArray("data: x\n\n") << QStringList{QStringLiteral("message||x|-")};
    QTest::newRow("empty event field means message")
        << QByteArray("event:\ndata: x\n\n") << QStringList{QStringLiteral("message||x|-")};
    QTest::newRow("type resets after dispatch")
        << QByteArray("event: output\ndata: a\n\ndata: b\n\n")
        << QStringList{QStringLiteral("output||a|-"), QStringLiteral("message||b|-")};
    QTest::newRow("multi-line data joins with LF")
        << QByteArray("data: one\ndata: two\ndata: three\n\n")
        << QStringList{QStringLiteral("message||one\\ntwo\\nthree|-")};
    QTest::newRow("only one leading space is stripped")
        << QByteArray("data:x\n\ndata:  y\n\n")
        << QStringList{QStringLiteral("message||x|-"), QStringLiteral("message|| y|-")};
    QTest::newRow("value keeps later colons")
        << QByteArray("data: a: b\n\n") << QStringList{QStringLiteral("message||a: b|-")};
    QTest::newRow("field without colon has an empty value")
        << QByteArray("data\n\n") << QStringList{QStringLiteral("message|||-")};
    QTest::newRow("two bare data fields give one LF")
        << QByteArray("data\ndata\n\n") << QStringList{QStringLiteral("message||\\n|-")};
    QTest::newRow("event without data is not dispatched")
        << QByteArray("event: done\n\nevent: logs\ndata: l\n\n")
        << QStringList{QStringLiteral("logs||l|-")};
    QTest::newRow("unknown fields are ignored") << QByteArray("foo: bar\nData: no\ndata: yes\n\n")
                                                << QStringList{QStringLiteral("message||yes|-")};
    QTest::newRow("blank lines alone dispatch nothing")
        << QByteArray("\n\n\n\r\n") << QStringList{};
    QTest::newRow("trailing whitespace is kept")
        << QByteArray("data: x \n\n") << QStringList{QStringLiteral("message||x |-")};
}

void TestSseParser::fields()
{
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, expected);
    QCOMPARE(parseWhole(stream).events, expected);
    checkSplitInvariance(stream);
}

void TestSseParser::idPersistsAcrossEvents()
{
    static const char raw[] = "id: 1\ndata: a\n\n"
                              "data: b\n\n"         // no id: the last one persists
                              "id: 2\nevent: x\n\n" // not dispatched, but the id moves
                              "data: c\n\n"
                              "id: bad\0id\ndata: d\n\n" // an id with NUL is ignored
                              "id\ndata: e\n\n";         // an empty id resets it
    const QByteArray stream(raw, sizeof(raw) - 1);
    const QStringList expected{QStringLiteral("message|1|a|-"), QStringLiteral("message|1|b|-"),
                               QStringLiteral("message|2|c|-"), QStringLiteral("message|2|d|-"),
                               QStringLiteral("message||e|-")};
    QCOMPARE(parseWhole(stream).events, expected);
    checkSplitInvariance(stream);

    SseParser parser;
    parser.feed("id: 7\ndata: a\n\nid: 8\n");
    QCOMPARE(parser.lastEventId(), QStringLiteral("7")); // 8 is not dispatched yet
    parser.feed("data: b\n\n");
    QCOMPARE(parser.lastEventId(), QStringLiteral("8"));
}

void TestSseParser::byteOrderMark_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("BOM stripped") << QByteArray("\xEF\xBB\xBF"
                                                "data: x\n\n")
                                  << QStringList{QStringLiteral("message||x|-")};
    QTest::newRow("BOM then blank line")
        << QByteArray("\xEF\xBB\xBF\ndata: x\n\n") << QStringList{QStringLiteral("message||x|-")};
    // Only one BOM is ignored; a second makes the first field name unknown.
    QTest::newRow("second BOM is data") << QByteArray("\xEF\xBB\xBF\xEF\xBB\xBF"
                                                      "data: x\n\n"
                                                      "data: y\n\n")
                                        << QStringList{QStringLiteral("message||y|-")};
    QTest::newRow("BOM-like prefix is not a BOM") << QByteArray("\xEF\xBB"
                                                                "data: x\n\ndata: y\n\n")
                                                  << QStringList{QStringLiteral("message||y|-")};
    QTest::newRow("BOM in a later line is kept")
        << QByteArray("data: \xEF\xBB\xBFx\n\n")
        << QStringList{QStringLiteral("message||%1x|-").arg(QChar(0xFEFF))};
}

void TestSseParser::byteOrderMark()
{
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, expected);
    QCOMPARE(parseWhole(stream).events, expected);
    checkSplitInvariance(stream);
}

void TestSseParser::utf8SplitAnywhere()
{
    const QString text = QStringLiteral("h\u00e9llo \u4e16\u754c \U0001F600 done");
    const QByteArray stream = "event: output\ndata: " + text.toUtf8() + "\n\n";
    const Run whole = parseWhole(stream);
    QCOMPARE(whole.events, QStringList{QStringLiteral("output||%1|-").arg(text)});
    checkSplitInvariance(stream);

    // Invalid UTF-8 is replaced, never dropped or fatal.
    const Run invalid = parseWhole("data: a\xFF"
                                   "b\n\n");
    QCOMPARE(invalid.events, QStringList{QStringLiteral("message||a\uFFFDb|-")});
}

void TestSseParser::retryField()
{
    const QByteArray stream("retry: 3000\ndata: a\n\nretry: 3s\ndata: b\n\nretry:\ndata: c\n\n");
    QCOMPARE(parseWhole(stream).events,
             (QStringList{QStringLiteral("message||a|3000"), QStringLiteral("message||b|-"),
                          QStringLiteral("message||c|-")}));
    checkSplitInvariance(stream);

    SseParser parser;
    QVERIFY(parser.feed("retry: 1500\n\n").isEmpty()); // no data: nothing dispatched...
    QCOMPARE(parser.reconnectionTimeMs(), std::optional<qint64>(1500)); // ...but it applies
    parser.feed("retry: x\n\n");
    QCOMPARE(parser.reconnectionTimeMs(), std::optional<qint64>(1500));
    parser.feed("retry: 99999999999999999999999\n\n");
    QVERIFY(*parser.reconnectionTimeMs() > 0); // saturates, does not overflow
}

void TestSseParser::unterminatedFinalEvent_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<int>("events");
    QTest::addColumn<bool>("clean");
    QTest::addColumn<QString>("discardedType");
    QTest::addColumn<QString>("discardedData");

    QTest::newRow("complete") << QByteArray("data: a\n\n") << 1 << true << QString() << QString();
    QTest::newRow("trailing comment")
        << QByteArray("data: a\n\n: bye\n") << 1 << true << QString() << QString();
    QTest::newRow("missing blank line") << QByteArray("data: a\n\nevent: done\ndata: {}\n") << 1
                                        << false << QStringLiteral("done") << QStringLiteral("{}");
    QTest::newRow("missing line end") << QByteArray("data: a\n\nevent: done\ndata: {}") << 1
                                      << false << QStringLiteral("done") << QStringLiteral("{}");
    QTest::newRow("partial field name")
        << QByteArray("data: a\n\nda") << 1 << false << QStringLiteral("message") << QString();
    QTest::newRow("ends with CR") << QByteArray("data: a\r") << 0 << false
                                  << QStringLiteral("message") << QStringLiteral("a");
    QTest::newRow("empty stream") << QByteArray() << 0 << true << QString() << QString();
}

void TestSseParser::unterminatedFinalEvent()
{
    QFETCH(QByteArray, stream);
    QFETCH(int, events);
    QFETCH(bool, clean);
    QFETCH(QString, discardedType);
    QFETCH(QString, discardedData);

    SseParser parser;
    QCOMPARE(parser.feed(stream).size(), events);
    const SseStreamEnd end = parser.finish();
    QCOMPARE(end.clean, clean);
    if (!clean) {
        QCOMPARE(end.discarded.type, discardedType);
        QCOMPARE(end.discarded.data, discardedData);
    }
    checkSplitInvariance(stream);
}

void TestSseParser::oversizeLineIsAnError()
{
    const QByteArray line = "data: " + QByteArray(200, 'x');
    // Unterminated and growing: caught while buffering, long before a line end arrives.
    SseParser parser(64);
    QVERIFY(parser.feed(line.left(40)).isEmpty());
    QVERIFY(!parser.error());
    QVERIFY(parser.feed(line.mid(40)).isEmpty());
    QCOMPARE(parser.error(), std::optional<SseError>(SseError::LineTooLong));
    QCOMPARE(parser.finish().clean, false);

    // A complete over-long line inside one chunk is refused the same way.
    const Run whole = parseWhole("data: ok\n\n" + line + "\n\n", 64);
    QCOMPARE(whole.error, std::optional<SseError>(SseError::LineTooLong));
    QCOMPARE(whole.events, QStringList{QStringLiteral("message||ok|-")});
    checkSplitInvariance("data: ok\n\n" + line + "\n\n", 64);

    // A comment line counts too: a hostile server can't stream an endless comment.
    QCOMPARE(parseWhole(": " + QByteArray(100, 'c'), 64).error,
             std::optional<SseError>(SseError::LineTooLong));
    QCOMPARE(toString(SseError::LineTooLong), QStringLiteral("line_too_long"));
}

void TestSseParser::oversizeEventIsAnError()
{
    QByteArray stream;
    for (int i = 0; i < 20; ++i)
        stream += "data: 0123456789\n"; // 11 bytes of data each, 220 in all
    stream += "\n";
    const Run run = parseWhole(stream, 128);
    QCOMPARE(run.error, std::optional<SseError>(SseError::EventTooLarge));
    QVERIFY(run.events.isEmpty());
    checkSplitInvariance(stream, 128);
    // Just under the limit is fine.
    QVERIFY(!parseWhole(stream, 220).error);
}

void TestSseParser::errorKeepsEarlierEventsAndStopsParsing()
{
    SseParser parser(32);
    const QList<SseEvent> events =
        parser.feed(QByteArray("data: a\n\ndata: " + QByteArray(40, 'x') + "\n\n"));
    QCOMPARE(describe(events), QStringList{QStringLiteral("message||a|-")});
    QVERIFY(parser.error());
    QVERIFY(parser.feed("data: b\n\n").isEmpty());
}

void TestSseParser::finishReadiesAReconnect()
{
    SseParser parser;
    parser.feed("id: 41\ndata: a\n\ndata: half");
    QVERIFY(!parser.finish().clean);
    // The next stream (a reconnect sent Last-Event-ID: 41) starts fresh, BOM included.
    const QList<SseEvent> events = parser.feed("\xEF\xBB\xBF"
                                               "data: b\n\n");
    QCOMPARE(describe(events), QStringList{QStringLiteral("message|41|b|-")});
    QCOMPARE(parser.lastEventId(), QStringLiteral("41"));
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
