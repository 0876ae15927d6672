// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace brieflow {

/** One dispatched Server-Sent Event. */
struct SseEvent {
    QString type = QStringLiteral("message"); ///< the "event" field, "message" when absent
    QString data;                             ///< the "data" lines joined with "\n"
    QString lastEventId; ///< the last "id" seen on the stream so far (ids persist across events)
    std::optional<qint64> retryMs; ///< a valid "retry" field inside this event's block, if any

    friend bool operator==(const SseEvent &, const SseEvent &) = default;
};

/** Why a stream was given up: a hostile or broken server must not make us buffer without end. */
enum class SseError {
    LineTooLong,    ///< an unterminated line grew past the limit
    EventTooLarge,  ///< an event's data grew past the limit before its blank line
    OutputTooLarge, ///< (ReplicateStreamDecoder) the accumulated output passed its limit
};

/** "line_too_long", "event_too_large", "output_too_large". */
QString toString(SseError error);

/** How a stream ended, from SseParser::finish(). */
struct SseStreamEnd {
    /** False when bytes after the last dispatched event were discarded: an unterminated line
     *  or field lines without the closing blank line. The spec drops such an event. */
    bool clean = true;
    /** The fields of the dropped event as far as they were read (diagnostics only). */
    SseEvent discarded;
};

/**
 * An incremental text/event-stream parser following the WHATWG HTML "event stream
 * interpretation": feed() takes byte chunks split anywhere (inside a UTF-8 sequence, between
 * CR and LF) and returns the events they complete. LF, CR and CRLF end lines; a leading BOM,
 * comments and unknown fields are ignored. Pure logic: no I/O, no Qt event loop.
 */
class SseParser {
public:
    static constexpr qsizetype DefaultMaxBytes = 1024 * 1024;

    /** maxBytes caps both the unterminated line and the pending event's data. */
    explicit SseParser(qsizetype maxBytes = DefaultMaxBytes);

    /**
     * Parses a chunk; returns the events it completed, in order. After a limit is exceeded,
     * error() is set, the events completed before that point are still returned, and later
     * input is ignored.
     */
    QList<SseEvent> feed(QByteArrayView chunk);

    /** End of stream: reports (and drops) an event that never got its closing blank line. */
    SseStreamEnd finish();

    std::optional<SseError> error() const { return m_error; }
    /** The last event id seen (for a reconnect's Last-Event-ID header). */
    QString lastEventId() const;
    /** The server's last valid "retry" value in milliseconds (the reconnection time). */
    std::optional<qint64> reconnectionTimeMs() const { return m_reconnectionTime; }
    qsizetype maxBytes() const { return m_maxBytes; }

private:
    void processLine(QByteArrayView line, QList<SseEvent> &out);
    void dispatch(QList<SseEvent> &out);
    void failWith(SseError error);

    qsizetype m_maxBytes;
    QByteArray m_line;              ///< an unterminated line carried over to the next chunk
    QByteArray m_data;              ///< data lines of the pending event, each followed by '\n'
    QByteArray m_eventType;         ///< pending "event" value
    QByteArray m_lastEventIdBuffer; ///< the latest "id" value read
    QByteArray m_lastEventId;       ///< the id as of the last dispatch; persists across events
    std::optional<qint64> m_pendingRetry;
    std::optional<qint64> m_reconnectionTime;
    bool m_sawField = false; ///< a field line since the last blank line
    bool m_atStart = true;   ///< still looking for a BOM
    bool m_skipLf = false;   ///< the previous chunk ended with CR: a leading LF belongs to it
    std::optional<SseError> m_error;
};

} // namespace brieflow
