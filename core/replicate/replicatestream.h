// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include "core/replicate/sseparser.h"

namespace brieflow {

/** How to read a stream's `output` events: the version schema tells (iterator of strings =
 *  Text, `format: uri` = Files); Auto decides on the first output event and keeps to it. */
enum class StreamOutputKind { Auto, Text, Files };

/** One decoded Replicate stream event, for callers that show progress as it arrives. */
struct ReplicateStreamItem {
    enum class Kind { Text, File, Logs, Error, Done };

    Kind kind = Kind::Text;
    QString value;   ///< token, file URL or data: URI, log text, error message, or done reason
    QString eventId; ///< the SSE id in force when it arrived

    friend bool operator==(const ReplicateStreamItem &, const ReplicateStreamItem &) = default;
};

/** Where a stream stands. Everything but Open is final. */
enum class ReplicateStreamState {
    Open,             ///< still receiving
    Succeeded,        ///< `done` with `{}` (or no reason)
    Canceled,         ///< `done` with reason "canceled"
    Failed,           ///< an `error` event, or `done` with reason "error" or another reason
    EndedWithoutDone, ///< the connection ended first: the prediction's fate is unknown, poll it
    TooLarge,         ///< a size limit was hit (see limitError()); the stream was given up
};

/** "open", "succeeded", "canceled", "failed", "ended_without_done", "too_large". */
QString toString(ReplicateStreamState state);

/**
 * Decodes the text/event-stream of a prediction's `urls.stream` (events `output`, `logs`,
 * `error`, `done`) into accumulated text or files, logs and a final state. Pure logic on top of
 * SseParser: feed it bytes as they arrive, call finish() when the connection ends. The stream
 * is a convenience; the prediction's final GET stays the source of truth for its outputs.
 */
class ReplicateStreamDecoder {
public:
    struct Options {
        StreamOutputKind outputKind = StreamOutputKind::Auto;
        qsizetype maxEventBytes = SseParser::DefaultMaxBytes; ///< per unfinished line or event
        qsizetype maxOutputChars = 32 * 1024 * 1024;          ///< text + files + logs, in total
    };

    ReplicateStreamDecoder();
    explicit ReplicateStreamDecoder(Options options);

    /** Parses a chunk and returns the items it completed. Input after a final state is
     *  ignored (a stream ends at `done` or `error`). */
    QList<ReplicateStreamItem> feed(QByteArrayView chunk);
    /** The connection ended. An Open stream becomes EndedWithoutDone. */
    void finish();

    ReplicateStreamState state() const { return m_state; }
    bool isFinished() const { return m_state != ReplicateStreamState::Open; }

    const QString &text() const { return m_text; }          ///< output tokens, concatenated
    const QStringList &files() const { return m_files; }    ///< file URLs or data: URIs, in order
    const QString &logs() const { return m_logs; }          ///< log events, one per line
    const QString &errorMessage() const { return m_error; } ///< set when Failed
    const QString &doneReason() const { return m_doneReason; } ///< empty for a plain `done`
    std::optional<SseError> limitError() const { return m_limitError; } ///< set when TooLarge
    /** True when finish() dropped an event that lacked its closing blank line (a truncated
     *  `done` looks like this). */
    bool droppedUnterminatedEvent() const { return m_droppedUnterminated; }
    /** The last SSE id seen: send it as Last-Event-ID when reconnecting. */
    QString lastEventId() const { return m_parser.lastEventId(); }
    /** Which kind Auto settled on (Auto until the first output event). */
    StreamOutputKind outputKind() const { return m_outputKind; }

    /** The message of an `error` event's data: a JSON string, a problem-details object's
     *  detail/message/error/title, other JSON compacted, or the text itself. */
    static QString errorMessageFromData(const QString &data);
    /** True for a data: URI or an absolute http(s) URL with a host; never with whitespace. */
    static bool looksLikeFile(const QString &value);

private:
    void handle(const SseEvent &event, QList<ReplicateStreamItem> &out);
    bool account(qsizetype chars);

    SseParser m_parser;
    qsizetype m_maxOutputChars;
    qsizetype m_outputChars = 0;
    StreamOutputKind m_outputKind;
    ReplicateStreamState m_state = ReplicateStreamState::Open;
    QString m_text;
    QStringList m_files;
    QString m_logs;
    QString m_error;
    QString m_doneReason;
    std::optional<SseError> m_limitError;
    bool m_droppedUnterminated = false;
};

} // namespace brieflow
