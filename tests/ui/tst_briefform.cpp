// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QApplication>
#include <QInputMethodEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>

#include "ui/widgets/briefform.h"

using namespace brieflow;
using brieflow::ui::BriefForm;

namespace {

Brief validBrief()
{
    Brief b;
    b.productName = QStringLiteral("  TrailLite 2  ");
    b.audience = QStringLiteral("Weekend trail runners who hate heavy shoes");
    b.valueProposition = QStringLiteral("The lightest trail shoe with a real grip.");
    b.image.aspectRatio = QStringLiteral("16:9");
    b.image.count = 2;
    return b;
}

const QString product = QLatin1String(BriefField::ProductName);
const QString audience = QLatin1String(BriefField::Audience);
const QString value = QLatin1String(BriefField::ValueProposition);

} // namespace

class TestBriefForm : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void emptySubmitShowsEveryRequiredProblem();
    void validBriefIsSubmittedNormalised();
    void typingShowsProblemsOnlyForTouchedFields();
    void ctrlEnterSubmits();
    void exampleFillsAValidBrief();
    void counterAppearsNearTheLimit();
    void problemClearsWhenFixed();
};

void TestBriefForm::emptySubmitShowsEveryRequiredProblem()
{
    BriefForm form;
    QSignalSpy submitted(&form, &BriefForm::submitted);
    form.submit();
    QCOMPARE(submitted.count(), 0);
    const auto problems = form.shownProblems();
    QVERIFY(problems.contains(product));
    QVERIFY(problems.contains(audience));
    QVERIFY(problems.contains(value));
    QVERIFY(!problems.contains(QLatin1String(BriefField::Tone)));
    QVERIFY2(problems.value(product).contains(QStringLiteral("required")),
             qPrintable(problems.value(product)));
}

void TestBriefForm::validBriefIsSubmittedNormalised()
{
    BriefForm form;
    QSignalSpy submitted(&form, &BriefForm::submitted);
    form.setBrief(validBrief());
    form.submit();
    QCOMPARE(submitted.count(), 1);
    const auto brief = submitted.first().first().value<Brief>();
    QCOMPARE(brief.productName, QStringLiteral("TrailLite 2"));
    QCOMPARE(brief.image.aspectRatio, QStringLiteral("16:9"));
    QCOMPARE(brief.image.count, 2);
    QVERIFY(form.shownProblems().isEmpty());
}

void TestBriefForm::typingShowsProblemsOnlyForTouchedFields()
{
    BriefForm form;
    form.show();
    auto *edit = qobject_cast<QLineEdit *>(form.editor(product));
    QVERIFY(edit);
    QTest::keyClicks(edit, QStringLiteral("x").repeated(90));
    QTRY_VERIFY(form.shownProblems().contains(product));
    QVERIFY2(form.shownProblems().value(product).contains(QStringLiteral("80")),
             qPrintable(form.shownProblems().value(product)));
    // Untouched required fields stay quiet until the user submits.
    QVERIFY(!form.shownProblems().contains(audience));
}

void TestBriefForm::ctrlEnterSubmits()
{
    BriefForm form;
    form.setBrief(validBrief());
    form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form));
    QSignalSpy submitted(&form, &BriefForm::submitted);
    QWidget *editor = form.editor(audience);
    editor->setFocus();
    QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(submitted.count(), 1);
    // The multi-line field did not get a line break from the shortcut.
    QVERIFY(!qobject_cast<QPlainTextEdit *>(editor)->toPlainText().contains(QLatin1Char('\n')));
}

void TestBriefForm::exampleFillsAValidBrief()
{
    BriefForm form;
    form.loadExample();
    const Brief b = form.brief();
    QVERIFY(!b.productName.isEmpty());
    QVERIFY(validateBrief(b).isEmpty());
    QSignalSpy submitted(&form, &BriefForm::submitted);
    form.submit();
    QCOMPARE(submitted.count(), 1);
}

void TestBriefForm::counterAppearsNearTheLimit()
{
    BriefForm form;
    form.show();
    auto *edit = qobject_cast<QLineEdit *>(form.editor(product));
    auto counterShowing = [&form](const QString &text) {
        const auto labels = form.findChildren<QLabel *>();
        return std::any_of(labels.cbegin(), labels.cend(),
                           [&text](QLabel *l) { return l->isVisible() && l->text() == text; });
    };
    QTest::keyClicks(edit, QStringLiteral("short"));
    QVERIFY(!counterShowing(QStringLiteral("5 / 80")));
    edit->clear();
    // Typed through the input method, as a user with an accented keyboard layout would.
    QInputMethodEvent typed;
    typed.setCommitString(QStringLiteral("é").repeated(70));
    QApplication::sendEvent(edit, &typed);
    QCOMPARE(edit->text().size(), 70);
    QVERIFY(counterShowing(QStringLiteral("70 / 80")));
}

void TestBriefForm::problemClearsWhenFixed()
{
    BriefForm form;
    form.show();
    form.submit();
    QVERIFY(form.shownProblems().contains(product));
    auto *edit = qobject_cast<QLineEdit *>(form.editor(product));
    QTest::keyClicks(edit, QStringLiteral("NoteKeeper"));
    QTRY_VERIFY(!form.shownProblems().contains(product));
    QVERIFY(form.shownProblems().contains(audience));
}

QTEST_MAIN(TestBriefForm)
#include "tst_briefform.moc"
