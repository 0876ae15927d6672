// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "outputcheck.h"

#include <algorithm>

#include <QRegularExpression>

namespace brieflow {

namespace {

constexpr auto Insensitive = QRegularExpression::CaseInsensitiveOption;

int codePoints(QStringView text)
{
    qsizetype count = text.size();
    for (qsizetype i = 1; i < text.size(); ++i) {
        if (text.at(i).isLowSurrogate() && text.at(i - 1).isHighSurrogate())
            --count;
    }
    return static_cast<int>(count);
}

// The start of @p text on one line, for messages: “I'm sorry, but I can't…”.
QString excerpt(const QString &text, qsizetype limit = 80)
{
    static const QRegularExpression spaces(QStringLiteral("\\s+"));
    QString flat = text.simplified();
    flat.replace(spaces, QStringLiteral(" "));
    if (flat.size() <= limit)
        return QStringLiteral("“%1”").arg(flat);
    qsizetype cut = limit;
    if (flat.at(cut - 1).isHighSurrogate())
        --cut;
    return QStringLiteral("“%1…”").arg(flat.left(cut).trimmed());
}

QString stripFence(const QString &text)
{
    for (const QLatin1StringView fence : {QLatin1StringView("```"), QLatin1StringView("~~~")}) {
        if (!text.startsWith(fence) || !text.endsWith(fence) || text.size() < 2 * fence.size())
            continue;
        const qsizetype newline = text.indexOf(QLatin1Char('\n'));
        // "```json\n…\n```": drop the info string; "```…```" on one line: just the fences.
        const qsizetype start = newline >= 0 ? newline + 1 : fence.size();
        const qsizetype end = text.size() - fence.size();
        if (start > end)
            return {};
        return text.mid(start, end - start).trimmed();
    }
    return text;
}

QString stripLeadingLabel(const QString &text)
{
    static const QString pleasantry = QStringLiteral(
        "(?:sure(?: thing)?|certainly|of course|okay|ok|absolutely|alright|all right|"
        "great|no problem|happy to help)");
    // "Sure!" alone on the first line.
    static const QRegularExpression alone(QStringLiteral("^%1[!.,]*[ \\t]*\\n").arg(pleasantry),
                                          Insensitive);
    // "Here is an image prompt for TrailLite:", "Sure! Here's the prompt:" up to the colon.
    static const QRegularExpression preamble(
        QStringLiteral("^(?:%1[!.,]*\\s+)?here(?:['’]s| is| are)\\b[^\\n:]{0,160}:[*_]*[ \\t]*")
            .arg(pleasantry),
        Insensitive);
    // "Image prompt:", "**Final prompt:**", "# Image prompt", "Prompt -".
    static const QRegularExpression label(
        QStringLiteral("^[#>*_ \\t]*(?:[\\w-]+[ \\t]+){0,3}prompt[*_ \\t]*(?::[*_]*[ \\t]*|[-–—][ "
                       "\\t]+|\\n)"),
        Insensitive);
    // A label alone on the first line: "Campaign concept:", "**Concept**".
    static const QRegularExpression labelLine(
        QStringLiteral("^[#>*_ \\t]*(?:[\\w-]+[ \\t]+){0,3}concept[*_ \\t]*:?[*_ \\t]*\\n"),
        Insensitive);
    for (const QRegularExpression *re : {&alone, &preamble, &label, &labelLine}) {
        const QRegularExpressionMatch m = re->match(text);
        if (m.hasMatch())
            return text.mid(m.capturedEnd()).trimmed();
    }
    return text;
}

QStringList paragraphs(const QString &text)
{
    static const QRegularExpression blankLine(QStringLiteral("\\n[ \\t]*\\n"));
    QStringList result;
    for (const QString &p : text.split(blankLine, Qt::SkipEmptyParts)) {
        if (!p.trimmed().isEmpty())
            result.append(p.trimmed());
    }
    return result;
}

QString stripTrailingSignOff(const QString &text)
{
    static const QRegularExpression signOff(
        QStringLiteral("^(?:let me know|i hope (?:this|that|you)|hope (?:this|that)|feel free|"
                       "if you(?:['’]d| would) like|would you like|do you want|happy to|enjoy)\\b"),
        Insensitive);
    QStringList parts = paragraphs(text);
    if (parts.size() < 2 || !signOff.match(parts.constLast()).hasMatch())
        return text;
    parts.removeLast();
    return parts.join(QStringLiteral("\n\n"));
}

QString stripWrappingQuotes(const QString &text)
{
    static const QList<std::pair<QString, QString>> pairs = {
        {QStringLiteral("\""), QStringLiteral("\"")}, {QStringLiteral("“"), QStringLiteral("”")},
        {QStringLiteral("„"), QStringLiteral("“")},   {QStringLiteral("'"), QStringLiteral("'")},
        {QStringLiteral("‘"), QStringLiteral("’")},   {QStringLiteral("«"), QStringLiteral("»")},
    };
    for (const auto &[open, close] : pairs) {
        if (text.size() < 2 || !text.startsWith(open) || !text.endsWith(close))
            continue;
        const QString inner = text.mid(open.size(), text.size() - open.size() - close.size());
        // "A" and "B" starts and ends with a quote but isn't wrapped in one.
        if (inner.contains(close) || (open != close && inner.contains(open)))
            continue;
        return inner.trimmed();
    }
    return text;
}

QString clean(QString text)
{
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    text.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    text = text.trimmed();
    // Wrappings come in any order ("Here is the prompt:\n```\n…\n```"); peel until stable.
    for (int round = 0; round < 4; ++round) {
        const QString before = text;
        text = stripWrappingQuotes(stripTrailingSignOff(stripLeadingLabel(stripFence(text))));
        if (text == before)
            break;
    }
    return text;
}

bool isApology(const QString &text)
{
    static const QRegularExpression apology(
        QStringLiteral(
            "^[\\W_]*(?:i['’]?m (?:so |very |truly |really )?sorry|i am (?:so |very |truly )?sorry"
            "|sorry\\b|my apologies|apologies\\b|i apologi[sz]e|i can['’]?t\\b|i cannot\\b"
            "|i can not\\b|i won['’]?t\\b|i will not\\b|i['’]?m (?:unable|not able)"
            "|i am (?:unable|not able)|i['’]?m afraid\\b|i am afraid\\b|i must decline"
            "|i (?:do not|don['’]?t) feel comfortable|i['’]?m not comfortable"
            "|unfortunately,? i\\b|as an ai\\b|as a language model\\b|as an ai language model\\b"
            "|i['’]?m just an ai\\b|i['’]?m not (?:allowed|permitted)|i am not "
            "(?:allowed|permitted)"
            ")"),
        Insensitive);
    return apology.match(text).hasMatch();
}

bool isListItem(QStringView line)
{
    static const QRegularExpression item(QStringLiteral("^\\s*(?:[-*•+]|\\d{1,2}[.)])\\s+\\S"));
    return item.match(line).hasMatch();
}

QString lowerTitle(const QString &title)
{
    QString text = title.trimmed();
    if (text.size() >= 2 && text.at(0).isUpper() && !text.at(1).isUpper())
        text[0] = text.at(0).toLower();
    return text;
}

} // namespace

Result<QString, QString> checkTextOutput(const OutputCheck &check, const QString &raw,
                                         const QString &what)
{
    const QString subject = what.isEmpty() ? QStringLiteral("requested text") : what;
    QString text = clean(raw);

    if (text.isEmpty()) {
        if (raw.trimmed().isEmpty())
            return fail(QStringLiteral("The model returned no text."));
        return fail(QStringLiteral("The model returned no %1, only %2.")
                        .arg(subject, excerpt(raw.trimmed())));
    }
    if (check.rejectApology && isApology(text))
        return fail(QStringLiteral("The model answered with an apology or a refusal instead of "
                                   "the %1: %2")
                        .arg(subject, excerpt(text)));
    if (const int length = codePoints(text); length < check.minChars)
        return fail(QStringLiteral("The %1 is too short: %2 characters, at least %3 are needed: "
                                   "%4")
                        .arg(subject)
                        .arg(length)
                        .arg(check.minChars)
                        .arg(excerpt(text)));

    if (check.singleParagraph) {
        const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        const auto items = std::count_if(lines.cbegin(), lines.cend(),
                                         [](const QString &line) { return isListItem(line); });
        if (items >= 2)
            return fail(QStringLiteral("The model wrote a list instead of a single-paragraph %1: "
                                       "%2")
                            .arg(subject, excerpt(text)));
        const QStringList parts = paragraphs(text);
        if (parts.size() > 1)
            return fail(QStringLiteral("The model wrote %1 paragraphs instead of a "
                                       "single-paragraph %2: %3")
                            .arg(QString::number(parts.size()), subject, excerpt(text)));
        static const QRegularExpression lineBreak(QStringLiteral("[ \\t]*\\n[ \\t]*"));
        text.replace(lineBreak, QStringLiteral(" "));
    }

    if (const int length = codePoints(text); check.maxChars > 0 && length > check.maxChars)
        return fail(QStringLiteral("The %1 is too long: %2 characters, at most %3 are allowed.")
                        .arg(subject)
                        .arg(length)
                        .arg(check.maxChars));
    return text;
}

Result<QString, QString> checkStepOutput(const StepDefinition &step, const QString &raw)
{
    return checkTextOutput(step.check, raw, lowerTitle(step.title));
}

} // namespace brieflow
