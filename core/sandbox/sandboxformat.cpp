// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandboxformat.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QUrl>

namespace brieflow::sandbox {

namespace {

constexpr qint64 NsPerSecond = 1000LL * 1000 * 1000;

QString secondsPart(qint64 epochNs, const QString &format)
{
    const qint64 seconds = epochNs >= 0 ? epochNs / NsPerSecond : (epochNs + 1) / NsPerSecond - 1;
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).toString(format);
}

qint64 nanosPart(qint64 epochNs)
{
    const qint64 rest = epochNs % NsPerSecond;
    return rest < 0 ? rest + NsPerSecond : rest;
}

} // namespace

QString formatTimestampNano(qint64 epochNs)
{
    QString fraction = QStringLiteral("%1").arg(nanosPart(epochNs), 9, 10, QLatin1Char('0'));
    while (fraction.endsWith(QLatin1Char('0')))
        fraction.chop(1);
    const QString base = secondsPart(epochNs, QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    return fraction.isEmpty() ? QString(base + QLatin1Char('Z'))
                              : QString(base + QLatin1Char('.') + fraction + QLatin1Char('Z'));
}

QString formatTimestampMicro(qint64 epochNs)
{
    return secondsPart(epochNs, QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + QLatin1Char('.')
           + QStringLiteral("%1").arg(nanosPart(epochNs) / 1000, 6, 10, QLatin1Char('0'))
           + QLatin1Char('Z');
}

QString formatCursorTimestamp(qint64 epochNs)
{
    return secondsPart(epochNs, QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QLatin1Char('.')
           + QStringLiteral("%1").arg(nanosPart(epochNs) / 1000, 6, 10, QLatin1Char('0'))
           + QStringLiteral("+00:00");
}

std::optional<qint64> parseTimestampNs(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral(
        R"(^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)"
        R"((Z|z|[+-]\d{2}:?\d{2})?$)"));
    const QRegularExpressionMatch m = pattern.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    const QTime time(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt());
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    qint64 offsetSeconds = 0;
    const QString zone = m.captured(8);
    if (zone.size() > 1) {
        QString digits = zone.mid(1);
        digits.remove(QLatin1Char(':'));
        offsetSeconds = digits.left(2).toLongLong() * 3600 + digits.mid(2, 2).toLongLong() * 60;
        if (zone.startsWith(QLatin1Char('-')))
            offsetSeconds = -offsetSeconds;
    }
    const qint64 seconds = QDateTime(date, time, Qt::UTC).toSecsSinceEpoch() - offsetSeconds;
    QString fraction = m.captured(7);
    fraction = fraction.leftJustified(9, QLatin1Char('0'));
    return seconds * NsPerSecond + fraction.toLongLong();
}

std::optional<qint64> parseCancelAfterMs(const QString &text)
{
    static const QRegularExpression bare(QStringLiteral(R"(^\d+(\.\d+)?$)"));
    static const QRegularExpression units(
        QStringLiteral(R"(^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$)"));
    const QString t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    if (bare.match(t).hasMatch())
        return qRound64(t.toDouble() * 1000);
    const QRegularExpressionMatch m = units.match(t);
    if (!m.hasMatch())
        return std::nullopt;
    const double seconds =
        m.captured(1).toDouble() * 3600 + m.captured(2).toDouble() * 60 + m.captured(3).toDouble();
    return qRound64(seconds * 1000);
}

std::optional<int> parsePreferWait(const QByteArray &header)
{
    // Prefer may carry several comma-separated preferences; only "wait" matters here. The
    // OpenAPI pattern ^wait(=([1-9]|[1-9][0-9]|60))?$ lets 61-99 through although its text says
    // 1-60; we follow the text and ignore larger values.
    static const QRegularExpression pattern(QStringLiteral(R"(^wait(=([1-9]|[1-5][0-9]|60))?$)"));
    const QList<QByteArray> parts = header.split(',');
    for (const QByteArray &part : parts) {
        const QRegularExpressionMatch m = pattern.match(QString::fromLatin1(part.trimmed()));
        if (m.hasMatch())
            return m.captured(2).isEmpty() ? 60 : m.captured(2).toInt();
    }
    return std::nullopt;
}

QString encodeListCursor(qint64 positionNs, bool reverse)
{
    // Python's urlencode: quote_plus, so a space becomes "+" and ":" "%3A".
    QByteArray position = QUrl::toPercentEncoding(formatCursorTimestamp(positionNs));
    position.replace("%20", "+");
    const QByteArray query = (reverse ? QByteArray("r=1&p=") : QByteArray("p=")) + position;
    return QString::fromLatin1(query.toBase64());
}

std::optional<ListCursor> decodeListCursor(const QString &cursor)
{
    QString text = cursor;
    text.replace(QLatin1Char(' '), QLatin1Char('+')); // a "+" that someone decoded as a space
    const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1());
    if (!decoded)
        return std::nullopt;
    ListCursor result;
    bool havePosition = false;
    const QList<QByteArray> items = decoded.decoded.split('&');
    for (const QByteArray &item : items) {
        const qsizetype eq = item.indexOf('=');
        if (eq < 0)
            continue;
        const QByteArray key = item.left(eq);
        QByteArray value = item.mid(eq + 1);
        value.replace('+', ' ');
        const QString text2 = QUrl::fromPercentEncoding(value);
        if (key == "r") {
            result.reverse = text2 == QLatin1String("1");
        } else if (key == "p") {
            const auto ns = parseTimestampNs(text2);
            if (!ns)
                return std::nullopt;
            result.positionNs = *ns;
            havePosition = true;
        }
    }
    if (!havePosition)
        return std::nullopt;
    return result;
}

} // namespace brieflow::sandbox
