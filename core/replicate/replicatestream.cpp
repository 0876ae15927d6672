// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/replicate/replicatestream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QUrl>

namespace brieflow {

QString toString(ReplicateStreamState state)
{
    switch (state) {
    case ReplicateStreamState::Open:
        return QStringLiteral("open");
    case ReplicateStreamState::Succeeded:
        return QStringLiteral("succeeded");
    case ReplicateStreamState::Canceled:
        return QStringLiteral("canceled");
    case ReplicateStreamState::Failed:
        return QStringLiteral("failed");
    case ReplicateStreamState::EndedWithoutDone:
        return QStringLiteral("ended_without_done");
    case ReplicateStreamState::TooLarge:
        return QStringLiteral("too_large");
    }
    return QStringLiteral("unknown");
}

ReplicateStreamDecoder::ReplicateStreamDecoder()
    : ReplicateStreamDecoder(Options{})
{}

ReplicateStreamDecoder::ReplicateStreamDecoder(Options options)
    : m_parser(options.maxEventBytes)
    , m_maxOutputChars(options.maxOutputChars)
    , m_outputKind(options.outputKind)
{}

QList<ReplicateStreamItem> ReplicateStreamDecoder::feed(QByteArrayView chunk)
{
    QList<ReplicateStreamItem> out;
    if (isFinished())
        return out;
    const QList<SseEvent> events = m_parser.feed(chunk);
    for (const SseEvent &event : events) {
        handle(event, out);
        if (isFinished())
            return out;
    }
    if (const auto error = m_parser.error()) {
        m_limitError = error;
        m_state = ReplicateStreamState::TooLarge;
    }
    return out;
}

void ReplicateStreamDecoder::finish()
{
    const SseStreamEnd end = m_parser.finish();
    if (isFinished())
        return;
    m_droppedUnterminated = !end.clean;
    m_state = ReplicateStreamState::EndedWithoutDone;
}

bool ReplicateStreamDecoder::account(qsizetype chars)
{
    m_outputChars += chars;
    if (m_outputChars <= m_maxOutputChars)
        return true;
    m_limitError = SseError::OutputTooLarge;
    m_state = ReplicateStreamState::TooLarge;
    return false;
}

void ReplicateStreamDecoder::handle(const SseEvent &event, QList<ReplicateStreamItem> &out)
{
    using Kind = ReplicateStreamItem::Kind;
    const QString &type = event.type;

    if (type == QLatin1String("output")) {
        if (!account(event.data.size()))
            return;
        if (m_outputKind == StreamOutputKind::Auto) {
            m_outputKind =
                looksLikeFile(event.data) ? StreamOutputKind::Files : StreamOutputKind::Text;
        }
        if (m_outputKind == StreamOutputKind::Files) {
            m_files.append(event.data);
            out.append({Kind::File, event.data, event.lastEventId});
        } else {
            m_text += event.data;
            out.append({Kind::Text, event.data, event.lastEventId});
        }
    } else if (type == QLatin1String("logs")) {
        if (!account(event.data.size() + 1))
            return;
        if (!m_logs.isEmpty() && !m_logs.endsWith(QLatin1Char('\n')))
            m_logs += QLatin1Char('\n');
        m_logs += event.data;
        out.append({Kind::Logs, event.data, event.lastEventId});
    } else if (type == QLatin1String("error")) {
        m_error = errorMessageFromData(event.data);
        m_state = ReplicateStreamState::Failed;
        out.append({Kind::Error, m_error, event.lastEventId});
    } else if (type == QLatin1String("done")) {
        const QJsonDocument doc = QJsonDocument::fromJson(event.data.toUtf8());
        m_doneReason = doc.object().value(QLatin1String("reason")).toString();
        if (m_doneReason.isEmpty()) {
            m_state = ReplicateStreamState::Succeeded;
        } else if (m_doneReason == QLatin1String("canceled")) {
            m_state = ReplicateStreamState::Canceled;
        } else {
            m_state = ReplicateStreamState::Failed;
            m_error = m_doneReason;
        }
        out.append({Kind::Done, m_doneReason, event.lastEventId});
    }
    // Other event types (none are documented) are ignored.
}

QString ReplicateStreamDecoder::errorMessageFromData(const QString &data)
{
    // Wrapped in an array so that a bare JSON string or number parses too.
    QJsonParseError parseError{};
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray("[" + data.toUtf8() + "]"), &parseError);
    if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1)
        return data.trimmed();
    const QJsonValue value = doc.array().first();
    if (value.isString())
        return value.toString();
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (const char *key : {"detail", "message", "error", "title"}) {
            const QString text = object.value(QLatin1String(key)).toString();
            if (!text.isEmpty())
                return text;
        }
        return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
    }
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return data.trimmed();
}

bool ReplicateStreamDecoder::looksLikeFile(const QString &value)
{
    // URLs and data: URIs never contain whitespace; text tokens usually do.
    for (const QChar c : value) {
        if (c.isSpace())
            return false;
    }
    if (value.startsWith(QLatin1String("data:")))
        return value.indexOf(QLatin1Char(',')) > 0;
    if (!value.startsWith(QLatin1String("https://")) && !value.startsWith(QLatin1String("http://")))
        return false;
    const QUrl url(value, QUrl::StrictMode);
    return url.isValid() && !url.host().isEmpty();
}

} // namespace brieflow
