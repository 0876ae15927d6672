// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>

#include "core/workflow/outputcheck.h"

using namespace brieflow;

namespace {

// The image-prompt check of the default workflow.
OutputCheck promptCheck()
{
    OutputCheck check;
    check.minChars = 20;
    check.maxChars = 1000;
    check.rejectApology = true;
    check.singleParagraph = true;
    return check;
}

const QString prompt = QStringLiteral("A trail runner in green and orange bounds across wet rock "
                                      "at dawn, low angle, soft golden light.");

} // namespace

class TestWorkflowOutputCheck : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleans_data();
    void cleans();
    void rejects_data();
    void rejects();
    void apologiesOnlyWhenAsked();
    void lengthsInCodePoints();
    void multiParagraphAllowedWithoutSingleParagraph();
    void stepTitleInMessages();
};

void TestWorkflowOutputCheck::cleans_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("expected");

    QTest::newRow("as is") << prompt << prompt;
    QTest::newRow("whitespace") << QStringLiteral("\n\n  ") + prompt + QStringLiteral("  \n")
                                << prompt;
    QTest::newRow("sandbox prefix kept")
        << QStringLiteral("[sandbox] A cinematic product photograph of TrailLite 2, soft light.")
        << QStringLiteral("[sandbox] A cinematic product photograph of TrailLite 2, soft light.");
    QTest::newRow("label") << QStringLiteral("Image prompt: ") + prompt << prompt;
    QTest::newRow("label line") << QStringLiteral("Image Prompt:\n") + prompt << prompt;
    QTest::newRow("bold label") << QStringLiteral("**Image prompt:** ") + prompt << prompt;
    QTest::newRow("heading label")
        << QStringLiteral("## Final image prompt\n\n") + prompt << prompt;
    QTest::newRow("bare prompt label") << QStringLiteral("Prompt: ") + prompt << prompt;
    QTest::newRow("here is") << QStringLiteral("Here is an image prompt for TrailLite 2:\n\n")
                                    + prompt
                             << prompt;
    QTest::newRow("sure here's, curly")
        << QStringLiteral("Sure! Here’s a detailed image prompt based on the concept: ") + prompt
        << prompt;
    QTest::newRow("certainly line") << QStringLiteral("Certainly!\n") + prompt << prompt;
    QTest::newRow("fence") << QStringLiteral("```\n") + prompt + QStringLiteral("\n```") << prompt;
    QTest::newRow("fence with language")
        << QStringLiteral("```text\n") + prompt + QStringLiteral("\n```") << prompt;
    QTest::newRow("preamble then fence")
        << QStringLiteral("Here's the prompt:\n```\n") + prompt + QStringLiteral("\n```") << prompt;
    QTest::newRow("straight quotes") << QLatin1Char('"') + prompt + QLatin1Char('"') << prompt;
    QTest::newRow("curly quotes") << QStringLiteral("“") + prompt + QStringLiteral("”") << prompt;
    QTest::newRow("label and quotes")
        << QStringLiteral("Image prompt: \"") + prompt + QStringLiteral("\"") << prompt;
    QTest::newRow("inner quotes kept")
        << QStringLiteral("\"Run\" painted on a wall, next to a \"Go\" sign at dusk")
        << QStringLiteral("\"Run\" painted on a wall, next to a \"Go\" sign at dusk");
    QTest::newRow("wrapped lines joined")
        << QStringLiteral("A trail runner in green and orange\nbounds across wet rock\r\nat dawn.")
        << QStringLiteral("A trail runner in green and orange bounds across wet rock at dawn.");
    QTest::newRow("sign-off dropped")
        << prompt + QStringLiteral("\n\nLet me know if you'd like any changes!") << prompt;
    QTest::newRow("hope this helps dropped") << QStringLiteral("Here is your prompt:\n\n") + prompt
                                                    + QStringLiteral("\n\nI hope this helps.")
                                             << prompt;
    QTest::newRow("sentence starting with Here kept")
        << QStringLiteral("Here, on a misty ridge at sunrise, a runner laces up TrailLite 2")
        << QStringLiteral("Here, on a misty ridge at sunrise, a runner laces up TrailLite 2");
    QTest::newRow("colon in content kept")
        << QStringLiteral("Close-up: a muddy TrailLite 2 mid-stride on wet granite, rim light")
        << QStringLiteral("Close-up: a muddy TrailLite 2 mid-stride on wet granite, rim light");
}

void TestWorkflowOutputCheck::cleans()
{
    QFETCH(QString, raw);
    QFETCH(QString, expected);
    const auto checked = checkTextOutput(promptCheck(), raw, QStringLiteral("image prompt"));
    QVERIFY2(checked.ok(), qPrintable(checked.ok() ? QString() : checked.error()));
    QCOMPARE(*checked, expected);
}

void TestWorkflowOutputCheck::rejects_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("fragment");

    const QString apology = QStringLiteral(
        "The model answered with an apology or a refusal instead of the image prompt");
    QTest::newRow("I'm sorry") << QStringLiteral("I'm sorry, but I can't help with creating that.")
                               << apology
                                      + QStringLiteral(": “I'm sorry, but I can't help with "
                                                       "creating that.”");
    QTest::newRow("I’m sorry, curly")
        << QStringLiteral("I’m sorry, I can’t create that image prompt.") << apology;
    QTest::newRow("I am sorry") << QStringLiteral("I am sorry, this request is not possible.")
                                << apology;
    QTest::newRow("Sorry,") << QStringLiteral("Sorry, I cannot write prompts about that product.")
                            << apology;
    QTest::newRow("lowercase") << QStringLiteral("i cannot produce this content for you, sorry.")
                               << apology;
    QTest::newRow("I can't") << QStringLiteral("I can't generate an image prompt for this brief.")
                             << apology;
    QTest::newRow("I won't") << QStringLiteral("I won’t write that, because it targets minors.")
                             << apology;
    QTest::newRow("As an AI") << QStringLiteral("As an AI language model, I cannot create images.")
                              << apology;
    QTest::newRow("I apologize") << QStringLiteral(
        "I apologize, but I am unable to help with this.")
                                 << apology;
    QTest::newRow("Unfortunately")
        << QStringLiteral("Unfortunately, I am not able to do that one.") << apology;
    QTest::newRow("quoted apology")
        << QStringLiteral("\"I'm sorry, I can't do that for you.\"") << apology;
    QTest::newRow("label then apology")
        << QStringLiteral("Image prompt: I cannot create this prompt as requested.") << apology;
    QTest::newRow("long apology cut")
        << QStringLiteral("I'm sorry, but ") + QString(200, QLatin1Char('x'))
        << QStringLiteral("…”");

    QTest::newRow("empty") << QString() << QStringLiteral("The model returned no text.");
    QTest::newRow("only whitespace")
        << QStringLiteral(" \n\t ") << QStringLiteral("The model returned no text.");
    QTest::newRow("only a preamble") << QStringLiteral("Here is your image prompt:")
                                     << QStringLiteral("The model returned no image prompt, only "
                                                       "“Here is your image prompt:”.");
    QTest::newRow("empty fence") << QStringLiteral("```\n```")
                                 << QStringLiteral("returned no image prompt");
    QTest::newRow("too short") << QStringLiteral("A shoe.")
                               << QStringLiteral("The image prompt is too short: 7 characters, at "
                                                 "least 20 are needed: “A shoe.”");
    QTest::newRow("too long") << QString(1001, QLatin1Char('a'))
                              << QStringLiteral("The image prompt is too long: 1001 characters, at "
                                                "most 1000 are allowed.");
    QTest::newRow("two paragraphs")
        << prompt + QStringLiteral("\n\nAlternatively, show the runner on a city street.")
        << QStringLiteral(
               "The model wrote 2 paragraphs instead of a single-paragraph image prompt");
    QTest::newRow("bullet list")
        << QStringLiteral("- A runner on wet rock at dawn\n- A runner on asphalt at dusk")
        << QStringLiteral("The model wrote a list instead of a single-paragraph image prompt");
    QTest::newRow("numbered list")
        << QStringLiteral("Options:\n1. A runner on wet rock at dawn\n2. A runner on asphalt")
        << QStringLiteral("a list");
}

void TestWorkflowOutputCheck::rejects()
{
    QFETCH(QString, raw);
    QFETCH(QString, fragment);
    const auto checked = checkTextOutput(promptCheck(), raw, QStringLiteral("image prompt"));
    QVERIFY2(!checked.ok(), qPrintable(QStringLiteral("accepted: ") + checked.valueOr(QString())));
    QVERIFY2(checked.error().contains(fragment), qPrintable(checked.error()));
}

void TestWorkflowOutputCheck::apologiesOnlyWhenAsked()
{
    OutputCheck check;
    const QString text = QStringLiteral("I can't believe how light it is: TrailLite 2.");
    QCOMPARE(checkTextOutput(check, text).valueOr(QString()), text);
    check.rejectApology = true;
    QVERIFY(!checkTextOutput(check, text).ok());
    // Apology words later in the text are fine.
    QVERIFY(
        checkTextOutput(check, QStringLiteral("No more sorry excuses: run in TrailLite 2.")).ok());
    QVERIFY(checkTextOutput(check, QStringLiteral("Sorrybird Café, a bright corner shop")).ok());
}

void TestWorkflowOutputCheck::lengthsInCodePoints()
{
    OutputCheck check;
    check.minChars = 3;
    check.maxChars = 3;
    QVERIFY(checkTextOutput(check, QStringLiteral("🐦🐦🐦")).ok()); // 6 UTF-16 units
    QVERIFY(!checkTextOutput(check, QStringLiteral("🐦🐦")).ok());
    QVERIFY(!checkTextOutput(check, QStringLiteral("🐦🐦🐦🐦")).ok());
    QVERIFY(checkTextOutput(check, QStringLiteral("Ñañ")).ok());

    // maxChars 0 is no limit; the limit counts the text after joining lines.
    OutputCheck unlimited;
    QVERIFY(checkTextOutput(unlimited, QString(100000, QLatin1Char('a'))).ok());
    OutputCheck joined;
    joined.maxChars = 7;
    joined.singleParagraph = true;
    QCOMPARE(checkTextOutput(joined, QStringLiteral("abc   \n   def")).valueOr(QString()),
             QStringLiteral("abc def"));
}

void TestWorkflowOutputCheck::multiParagraphAllowedWithoutSingleParagraph()
{
    const QString conceptStep =
        QStringLiteral("Headline: Run anywhere\nIdea: One shoe for trail and road.\n"
                       "- 230 g\n- Grips wet rock\n\nCall to action: Find your trail");
    OutputCheck check;
    check.rejectApology = true;
    QCOMPARE(checkTextOutput(check, QStringLiteral("Here's a campaign concept for TrailLite 2:\n\n")
                                        + conceptStep)
                 .valueOr(QString()),
             conceptStep);
    QCOMPARE(checkTextOutput(check, QStringLiteral("Campaign concept:\n") + conceptStep)
                 .valueOr(QString()),
             conceptStep);
}

void TestWorkflowOutputCheck::stepTitleInMessages()
{
    StepDefinition step;
    step.title = QStringLiteral("Image prompt");
    step.check = promptCheck();
    const auto checked = checkStepOutput(step, QStringLiteral("I'm sorry, I can't."));
    QVERIFY(!checked.ok());
    QVERIFY2(checked.error().contains(QStringLiteral("instead of the image prompt")),
             qPrintable(checked.error()));
    const auto generic = checkTextOutput(promptCheck(), QStringLiteral("I'm sorry, I can't."));
    QVERIFY(generic.error().contains(QStringLiteral("instead of the requested text")));
}

QTEST_GUILESS_MAIN(TestWorkflowOutputCheck)
#include "tst_workflowoutputcheck.moc"
