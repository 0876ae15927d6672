// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <algorithm>
#include <vector>

#include <QLocale>

#include "briefutil_p.h"

namespace brieflow::briefutil {

namespace {

bool isContinuation(unsigned char byte)
{
    return (byte & 0xC0) == 0x80;
}

// Length of the UTF-8 sequence starting at data[i], or 0 if it is ill-formed (overlong forms,
// surrogates and code points above U+10FFFF included, as RFC 3629 requires).
qsizetype utf8SequenceLength(QByteArrayView data, qsizetype i)
{
    const auto at = [&](qsizetype k) { return static_cast<unsigned char>(data[k]); };
    const unsigned char lead = at(i);
    const qsizetype left = data.size() - i;
    if (lead < 0x80)
        return 1;
    if (lead >= 0xC2 && lead <= 0xDF)
        return left >= 2 && isContinuation(at(i + 1)) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        if (left < 3 || !isContinuation(at(i + 1)) || !isContinuation(at(i + 2)))
            return 0;
        if (lead == 0xE0 && at(i + 1) < 0xA0)
            return 0; // overlong
        if (lead == 0xED && at(i + 1) >= 0xA0)
            return 0; // UTF-16 surrogate
        return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        if (left < 4 || !isContinuation(at(i + 1)) || !isContinuation(at(i + 2))
            || !isContinuation(at(i + 3)))
            return 0;
        if (lead == 0xF0 && at(i + 1) < 0x90)
            return 0; // overlong
        if (lead == 0xF4 && at(i + 1) >= 0x90)
            return 0; // above U+10FFFF
        return 4;
    }
    return 0;
}

QString squashed(const QString &name)
{
    QString out;
    for (const QChar c : name) {
        if (c.isLetterOrNumber())
            out.append(c.toLower());
    }
    return out;
}

int editDistance(const QString &a, const QString &b)
{
    std::vector<int> previous(static_cast<size_t>(b.size()) + 1);
    std::vector<int> current(previous.size());
    for (size_t j = 0; j < previous.size(); ++j)
        previous[j] = static_cast<int>(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        current[0] = static_cast<int>(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const auto uj = static_cast<size_t>(j);
            const int substitution = previous[uj - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[uj] = std::min({previous[uj] + 1, current[uj - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous.back();
}

} // namespace

TextPosition textPosition(QByteArrayView data, qsizetype offset)
{
    TextPosition pos;
    offset = std::clamp<qsizetype>(offset, 0, data.size());
    for (qsizetype i = 0; i < offset; ++i) {
        const auto byte = static_cast<unsigned char>(data[i]);
        if (byte == '\n') {
            ++pos.line;
            pos.column = 1;
        } else if (!isContinuation(byte) && byte != '\r') {
            ++pos.column;
        }
    }
    return pos;
}

qsizetype firstInvalidUtf8(QByteArrayView data)
{
    qsizetype i = 0;
    while (i < data.size()) {
        const qsizetype length = utf8SequenceLength(data, i);
        if (length == 0)
            return i;
        i += length;
    }
    return -1;
}

bool looksLikeUtf16(QByteArrayView data)
{
    if (data.startsWith("\xFF\xFE") || data.startsWith("\xFE\xFF"))
        return true;
    return data.size() >= 2 && (data[0] == '\0' || data[1] == '\0');
}

QByteArrayView withoutBom(QByteArrayView data)
{
    return data.startsWith("\xEF\xBB\xBF") ? data.sliced(3) : data;
}

QString codePointName(char32_t codePoint)
{
    return QStringLiteral("U+%1").arg(codePoint, 4, 16, QLatin1Char('0')).toUpper();
}

QString byteName(unsigned char byte)
{
    return QLatin1String("0x")
           + QString::number(byte, 16).rightJustified(2, QLatin1Char('0')).toUpper();
}

QString quotedValue(const QString &value)
{
    constexpr qsizetype maxShown = 40;
    QString shown;
    for (const QChar c : value) {
        if (c == QLatin1Char('\n'))
            shown += QLatin1String("\\n");
        else if (c == QLatin1Char('\t'))
            shown += QLatin1String("\\t");
        else if (c.category() == QChar::Other_Control)
            shown += QLatin1Char('[') + codePointName(c.unicode()) + QLatin1Char(']');
        else
            shown += c;
    }
    if (shown.size() > maxShown) {
        qsizetype cut = maxShown;
        if (shown.at(cut - 1).isHighSurrogate())
            --cut;
        shown = shown.left(cut) + QChar(0x2026);
    }
    return QLatin1Char('"') + shown + QLatin1Char('"');
}

QString formatByteSize(qint64 bytes)
{
    const QLocale english(QLocale::English);
    if (bytes >= 1024 * 1024)
        return english.toString(static_cast<double>(bytes) / (1024.0 * 1024.0), 'f', 1)
               + QLatin1String(" MB");
    return english.toString((bytes + 1023) / 1024) + QLatin1String(" KB");
}

QString formatCount(qint64 count)
{
    return QLocale(QLocale::English).toString(count);
}

QString suggestName(const QString &given, const QList<std::pair<QString, QString>> &candidates)
{
    const QString wanted = squashed(given);
    if (wanted.isEmpty())
        return {};
    QString best;
    int bestDistance = wanted.size() >= 5 ? 3 : 2; // tolerate 2 typos in longer names, else 1
    for (const auto &[spelling, suggestion] : candidates) {
        const int distance = editDistance(wanted, squashed(spelling));
        if (distance < bestDistance) {
            bestDistance = distance;
            best = suggestion;
        }
    }
    return best;
}

QString didYouMean(const QString &suggestion)
{
    if (suggestion.isEmpty())
        return {};
    return QStringLiteral(" Did you mean \"%1\"?").arg(suggestion);
}

int fieldOrder(const QString &field)
{
    if (field.isEmpty())
        return -1;
    if (field == BriefField::Image)
        return 5; // before its own options
    const qsizetype index = briefFields().indexOf(field);
    return index < 0 ? 100 : static_cast<int>(index) + (index >= 5 ? 1 : 0);
}

void sortIssues(BriefIssues &issues)
{
    std::stable_sort(issues.begin(), issues.end(), [](const BriefIssue &a, const BriefIssue &b) {
        return fieldOrder(a.field) < fieldOrder(b.field);
    });
}

BriefIssues withoutFields(const BriefIssues &issues, const QStringList &fields)
{
    BriefIssues kept;
    for (const BriefIssue &issue : issues) {
        if (!fields.contains(issue.field))
            kept.append(issue);
    }
    return kept;
}

} // namespace brieflow::briefutil
