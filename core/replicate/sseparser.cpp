// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/replicate/sseparser.h"

#include <algorithm>
#include <utility>

#include <QStringDecoder>

namespace brieflow {

namespace {

constexpr QByteArrayView Bom("\xEF\xBB\xBF");
constexpr qint64 MaxRetryMs = 1'000'000'000'000; // saturate absurd values instead of overflowing

std::optional<qint64> parseRetry(QByteArrayView value)
{
    if (value.isEmpty())
        return std::nullopt;
    qint64 result = 0;
    for (const char c : value) {
        if (c < '0' || c > '9')
            return std::nullopt;
        result = std::min(MaxRetryMs, result * 10 + (c - '0'));
    }
    return result;
}

/** UTF-8 to UTF-16, invalid bytes replaced. Unlike QString::fromUtf8, a leading U+FEFF is kept:
 *  only the one at the very start of the stream is special. */
QString decodeUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless
                                                     | QStringDecoder::Flag::ConvertInitialBom);
    return decoder.decode(bytes);
}

} // namespace

QString toString(SseError error)
{
    switch (error) {
    case SseError::LineTooLong:
        return QStringLiteral("line_too_long");
    case SseError::EventTooLarge:
        return QStringLiteral("event_too_large");
    case SseError::OutputTooLarge:
        return QStringLiteral("output_too_large");
    }
    return QStringLiteral("unknown");
}

SseParser::SseParser(qsizetype maxBytes)
    : m_maxBytes(std::max<qsizetype>(maxBytes, 16))
{}

QList<SseEvent> SseParser::feed(QByteArrayView chunk)
{
    QList<SseEvent> out;
    if (m_error)
        return out;

    // A BOM may itself arrive split across chunks: hold back a partial one until it is decided.
    QByteArray head;
    if (m_atStart) {
        head = m_line + chunk.toByteArray();
        m_line.clear();
        const qsizetype n = std::min<qsizetype>(head.size(), Bom.size());
        if (QByteArrayView(head).first(n) == Bom.first(n)) {
            if (n < Bom.size()) {
                m_line = head;
                return out;
            }
            head.remove(0, Bom.size());
        }
        m_atStart = false;
        chunk = head;
    }

    const char *p = chunk.data();
    const qsizetype n = chunk.size();
    qsizetype pos = 0;
    if (m_skipLf && n > 0) {
        if (p[0] == '\n')
            pos = 1;
        m_skipLf = false;
    }

    while (pos < n) {
        const char *stop =
            std::find_if(p + pos, p + n, [](char c) { return c == '\n' || c == '\r'; });
        const qsizetype end = stop - p;
        if (end == n) {
            if (m_line.size() + (n - pos) > m_maxBytes) {
                failWith(SseError::LineTooLong);
                break;
            }
            m_line.append(p + pos, n - pos);
            break;
        }

        QByteArrayView line(p + pos, end - pos);
        if (!m_line.isEmpty()) {
            m_line.append(line);
            line = m_line;
        }
        if (line.size() > m_maxBytes) {
            failWith(SseError::LineTooLong);
            break;
        }
        processLine(line, out);
        m_line.clear();
        if (m_error)
            break;

        pos = end + 1;
        if (p[end] == '\r') {
            if (pos < n) {
                if (p[pos] == '\n')
                    ++pos;
            } else {
                m_skipLf = true;
            }
        }
    }
    return out;
}

void SseParser::processLine(QByteArrayView line, QList<SseEvent> &out)
{
    if (line.isEmpty()) {
        dispatch(out);
        return;
    }
    if (line.front() == ':')
        return; // a comment (nchan opens streams with ": hi")

    QByteArrayView field = line;
    QByteArrayView value;
    const qsizetype colon = line.indexOf(':');
    if (colon >= 0) {
        field = line.first(colon);
        value = line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
    }

    if (field == "data") {
        if (m_data.size() + value.size() + 1 > m_maxBytes) {
            failWith(SseError::EventTooLarge);
            return;
        }
        m_data.append(value);
        m_data.append('\n');
        m_sawField = true;
    } else if (field == "event") {
        m_eventType = value.toByteArray();
        m_sawField = true;
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_lastEventIdBuffer = value.toByteArray();
        m_sawField = true;
    } else if (field == "retry") {
        if (const auto retry = parseRetry(value)) {
            m_pendingRetry = retry;
            m_reconnectionTime = retry;
        }
        m_sawField = true;
    }
    // Any other field is ignored, as the spec requires.
}

void SseParser::dispatch(QList<SseEvent> &out)
{
    m_lastEventId = m_lastEventIdBuffer;
    const std::optional<qint64> retry = std::exchange(m_pendingRetry, std::nullopt);
    m_sawField = false;
    if (m_data.isEmpty()) {
        m_eventType.clear();
        return;
    }
    m_data.chop(1);

    SseEvent event;
    if (!m_eventType.isEmpty())
        event.type = decodeUtf8(m_eventType);
    event.data = decodeUtf8(m_data);
    event.lastEventId = decodeUtf8(m_lastEventId);
    event.retryMs = retry;
    out.append(std::move(event));
    m_data.clear();
    m_eventType.clear();
}

void SseParser::failWith(SseError error)
{
    m_error = error;
    m_line.clear();
    m_data.clear();
}

QString SseParser::lastEventId() const
{
    return decodeUtf8(m_lastEventId);
}

SseStreamEnd SseParser::finish()
{
    SseStreamEnd end;
    if (m_error) {
        end.clean = false;
    } else if (!m_line.isEmpty() || m_sawField) {
        end.clean = false;
        // Read the unterminated line as if it were complete, for the diagnostics only.
        if (!m_line.isEmpty() && !(m_atStart && Bom.startsWith(m_line))) {
            QList<SseEvent> ignored;
            processLine(m_line, ignored);
            m_error.reset(); // an over-long tail is dropped anyway; it must not poison a reconnect
        }
        if (!m_eventType.isEmpty())
            end.discarded.type = decodeUtf8(m_eventType);
        QByteArray data = m_data;
        if (data.endsWith('\n'))
            data.chop(1);
        end.discarded.data = decodeUtf8(data);
        end.discarded.lastEventId = decodeUtf8(m_lastEventIdBuffer);
        end.discarded.retryMs = m_pendingRetry;
    }

    // Ready for a reconnected stream: ids and the reconnection time persist, nothing else.
    m_line.clear();
    m_data.clear();
    m_eventType.clear();
    m_lastEventIdBuffer = m_lastEventId;
    m_pendingRetry.reset();
    m_sawField = false;
    m_atStart = true;
    m_skipLf = false;
    return end;
}

} // namespace brieflow
