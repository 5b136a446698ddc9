<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
<context>
    <name>Kiosk</name>
    <message>
        <source>High contrast</source>
        <translation>تباين عالٍ</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>نص أكبر</translation>
    </message>
    <message>
        <source>Read aloud</source>
        <translation>اقرأ بصوت عالٍ</translation>
    </message>
    <message>
        <source>Welcome. Touch what you have come about.</source>
        <translation>مرحباً. المس سبب زيارتك.</translation>
    </message>
    <message>
        <source>I have an appointment</source>
        <translation>لدي موعد</translation>
    </message>
    <message>
        <source>I need help</source>
        <translation>أحتاج إلى مساعدة</translation>
    </message>
    <message>
        <source>Touch the one that fits best.</source>
        <translation>المس الخيار الأنسب.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>رجوع</translation>
    </message>
    <message>
        <source>Do you need any of these? Touch all that apply.</source>
        <translation>هل تحتاج إلى أي مما يلي؟ المس كل ما ينطبق.</translation>
    </message>
    <message>
        <source>Get my ticket</source>
        <translation>احصل على تذكرتي</translation>
    </message>
    <message>
        <source>Type the booking reference from your letter or text, or scan its code below.</source>
        <translation>اكتب رقم الحجز من رسالتك أو امسح الرمز أدناه.</translation>
    </message>
    <message>
        <source>I don't have it</source>
        <translation>ليس لدي</translation>
    </message>
    <message>
        <source>Check in</source>
        <translation>تسجيل الوصول</translation>
    </message>
    <message>
        <source>We could not find that booking.</source>
        <translation>لم نتمكن من العثور على هذا الحجز.</translation>
    </message>
    <message>
        <source>Please check the reference, or ask reception: they will help you.</source>
        <translation>يرجى التحقق من الرقم أو سؤال الاستقبال: سيساعدونك.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>حاول مرة أخرى</translation>
    </message>
    <message>
        <source>Ask reception for help</source>
        <translation>اطلب المساعدة من الاستقبال</translation>
    </message>
    <message>
        <source>Start again</source>
        <translation>ابدأ من جديد</translation>
    </message>
    <message>
        <source>Your number is</source>
        <translation>رقمك هو</translation>
    </message>
    <message>
        <source>Printing your ticket…</source>
        <translation>جارٍ طباعة تذكرتك…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>تم</translation>
    </message>
    <message>
        <source>Help is on its way</source>
        <translation>المساعدة في الطريق</translation>
    </message>
    <message>
        <source>Someone from reception will come to help you. Please take a seat nearby.</source>
        <translation>سيأتي أحد موظفي الاستقبال لمساعدتك. يرجى الجلوس بالقرب.</translation>
    </message>
    <message>
        <source>Sorry, this office is closed</source>
        <translation>عذراً، هذا المكتب مغلق</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>مغلق</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>الاثنين</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>الثلاثاء</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>الأربعاء</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>الخميس</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>الجمعة</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>السبت</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>الأحد</translation>
    </message>
    <message>
        <source>Opening hours</source>
        <translation>ساعات العمل</translation>
    </message>
    <message>
        <source>Do you need more time?</source>
        <translation>هل تحتاج إلى مزيد من الوقت؟</translation>
    </message>
    <message>
        <source>I need more time</source>
        <translation>أحتاج إلى مزيد من الوقت</translation>
    </message>
    <message>
        <source>about</source>
        <translation>حوالي</translation>
    </message>
    <message>
        <source>We are busier than usual:</source>
        <translation>نحن أكثر انشغالاً من المعتاد:</translation>
    </message>
    <message>
        <source>People ahead of you: {n}</source>
        <translation>عدد الأشخاص قبلك: {n}</translation>
    </message>
    <message>
        <source>Estimated wait: about {n} min</source>
        <translation>وقت الانتظار المتوقع: حوالي {n} دقيقة</translation>
    </message>
    <message>
        <source>sorry for the wait.</source>
        <translation>نعتذر عن الانتظار.</translation>
    </message>
    <message>
        <source>Please take your ticket.</source>
        <translation>يرجى أخذ تذكرتك.</translation>
    </message>
    <message>
        <source>The printer is not working. Please remember your number: {ticket}. Reception knows, and you are in the queue.</source>
        <translation>الطابعة لا تعمل. يرجى تذكر رقمك: {ticket}. الاستقبال على علم، وأنت في قائمة الانتظار.</translation>
    </message>
    <message>
        <source>The ticket printer is not working: your number is shown on screen.</source>
        <translation>طابعة التذاكر لا تعمل: سيظهر رقمك على الشاشة.</translation>
    </message>
    <message>
        <source>Going back to the start in {n} seconds.</source>
        <translation>العودة إلى البداية خلال {n} ثانية.</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>الموظفون</translation>
    </message>
    <message>
        <source>Supervisor PIN</source>
        <translation>الرقم السري للمشرف</translation>
    </message>
    <message>
        <source>I would like to talk in a private room</source>
        <translation>أرغب في التحدث في غرفة خاصة</translation>
    </message>
    <message>
        <source>I need an interpreter</source>
        <translation>أحتاج إلى مترجم</translation>
    </message>
    <message>
        <source>I use a hearing loop</source>
        <translation>أستخدم حلقة السمع</translation>
    </message>
    <message>
        <source>I need step-free access</source>
        <translation>أحتاج إلى مدخل بدون درج</translation>
    </message>
    <message>
        <source>Council Tax and Business Rates</source>
        <translation>ضريبة المجلس وضرائب الأعمال</translation>
    </message>
    <message>
        <source>Benefits and money help</source>
        <translation>الإعانات والمساعدة المالية</translation>
    </message>
    <message>
        <source>Urgent help</source>
        <translation>مساعدة عاجلة</translation>
    </message>
    <message>
        <source>Parking and badges</source>
        <translation>مواقف السيارات والشارات</translation>
    </message>
    <message>
        <source>Housing</source>
        <translation>السكن</translation>
    </message>
    <message>
        <source>Licences</source>
        <translation>التراخيص</translation>
    </message>
    <message>
        <source>Online help</source>
        <translation>المساعدة عبر الإنترنت</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>المدفوعات</translation>
    </message>
    <message>
        <source>Something else</source>
        <translation>شيء آخر</translation>
    </message>
    <message>
        <source>Council Tax</source>
        <translation>ضريبة المجلس</translation>
    </message>
    <message>
        <source>Council Tax Reduction</source>
        <translation>تخفيض ضريبة المجلس</translation>
    </message>
    <message>
        <source>Business Rates</source>
        <translation>ضرائب الأعمال</translation>
    </message>
    <message>
        <source>Housing Benefit</source>
        <translation>إعانة السكن</translation>
    </message>
    <message>
        <source>Discretionary Housing Payments</source>
        <translation>مدفوعات السكن التقديرية</translation>
    </message>
    <message>
        <source>Emergency Limited Assistance Scheme (ELAS)</source>
        <translation>برنامج المساعدة الطارئة (ELAS)</translation>
    </message>
    <message>
        <source>Household Support Fund</source>
        <translation>صندوق دعم الأسر</translation>
    </message>
    <message>
        <source>Social Care</source>
        <translation>الرعاية الاجتماعية</translation>
    </message>
    <message>
        <source>Blue Badges</source>
        <translation>الشارة الزرقاء</translation>
    </message>
    <message>
        <source>Parking permits and fines</source>
        <translation>تصاريح وغرامات المواقف</translation>
    </message>
    <message>
        <source>Housing and homelessness</source>
        <translation>السكن والتشرد</translation>
    </message>
    <message>
        <source>Taxi Licensing (portal help)</source>
        <translation>ترخيص سيارات الأجرة (مساعدة في البوابة)</translation>
    </message>
    <message>
        <source>My Account and help online</source>
        <translation>حسابي والمساعدة عبر الإنترنت</translation>
    </message>
    <message>
        <source>Make a payment</source>
        <translation>إجراء دفعة</translation>
    </message>
    <message>
        <source>Your number</source>
        <translation>رقمك</translation>
    </message>
    <message>
        <source>Your appointment: {time}</source>
        <translation>موعدك: {time}</translation>
    </message>
    <message>
        <source>We are busier than usual: {reason}</source>
        <translation>نحن أكثر انشغالاً من المعتاد: {reason}</translation>
    </message>
    <message>
        <source>We are busier than usual. Sorry for the wait.</source>
        <translation>نحن أكثر انشغالاً من المعتاد. نعتذر عن الانتظار.</translation>
    </message>
    <message>
        <source>Scan to tell us how we did</source>
        <translation>امسح الرمز لتخبرنا برأيك</translation>
    </message>
    <message>
        <source>Back to visitors</source>
        <translation>العودة إلى الزوار</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>Close the office</source>
        <translation>إغلاق المكتب</translation>
    </message>
    <message>
        <source>Closed by staff</source>
        <translation>أغلقه الموظفون</translation>
    </message>
    <message>
        <source>Exit the kiosk</source>
        <translation>الخروج من الكشك</translation>
    </message>
    <message>
        <source>Not printed:</source>
        <translation>لم تتم الطباعة:</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>موافق</translation>
    </message>
    <message>
        <source>Open the office</source>
        <translation>فتح المكتب</translation>
    </message>
    <message>
        <source>Print a test ticket</source>
        <translation>طباعة تذكرة تجريبية</translation>
    </message>
    <message>
        <source>Printing a test ticket…</source>
        <translation>جارٍ طباعة تذكرة تجريبية…</translation>
    </message>
    <message>
        <source>Staff settings</source>
        <translation>إعدادات الموظفين</translation>
    </message>
    <message>
        <source>Test ticket printed.</source>
        <translation>تمت طباعة التذكرة التجريبية.</translation>
    </message>
    <message>
        <source>That PIN is not right.</source>
        <translation>رمز PIN غير صحيح.</translation>
    </message>
    <message>
        <source>The PIN cannot be checked while the database is away.</source>
        <translation>لا يمكن التحقق من رمز PIN أثناء انقطاع الاتصال بقاعدة البيانات.</translation>
    </message>
    <message>
        <source>This screen goes back to the start in {n} seconds.</source>
        <translation>ستعود هذه الشاشة إلى البداية خلال {n} ثانية.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in {n} minutes.</source>
        <translation>محاولات خاطئة كثيرة. حاول مرة أخرى بعد {n} دقيقة.</translation>
    </message>
    <message>
        <source>Which language?</source>
        <translation>أي لغة؟</translation>
    </message>
    <message>
        <source>Another language</source>
        <translation>لغة أخرى</translation>
    </message>
    <message>
        <source>Exit survey</source>
        <translation>استطلاع عند الخروج</translation>
    </message>
    <message>
        <source>Four quick questions. Your answers help us improve.</source>
        <translation>أربعة أسئلة سريعة. إجاباتك تساعدنا على التحسن.</translation>
    </message>
    <message>
        <source>How did we do today?</source>
        <translation>كيف كانت خدمتنا اليوم؟</translation>
    </message>
    <message>
        <source>Is there anything else you would like to tell us?</source>
        <translation>هل هناك شيء آخر تود أن تخبرنا به؟</translation>
    </message>
    <message>
        <source>No</source>
        <translation>لا</translation>
    </message>
    <message>
        <source>Optional. Please do not include your name or address.</source>
        <translation>اختياري. يرجى عدم كتابة اسمك أو عنوانك.</translation>
    </message>
    <message>
        <source>Question {n} of {total}</source>
        <translation>السؤال {n} من {total}</translation>
    </message>
    <message>
        <source>Scan or type your ticket number if you have it (optional).</source>
        <translation>امسح رقم تذكرتك أو اكتبه إن كان معك (اختياري).</translation>
    </message>
    <message>
        <source>Send my answers</source>
        <translation>إرسال إجاباتي</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>تخطٍّ</translation>
    </message>
    <message>
        <source>Skip this question</source>
        <translation>تخطي هذا السؤال</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>ابدأ</translation>
    </message>
    <message>
        <source>Thank you</source>
        <translation>شكراً لك</translation>
    </message>
    <message>
        <source>That ticket is not from today: leave it blank to answer.</source>
        <translation>هذه التذكرة ليست من اليوم: اترك الخانة فارغة لتجيب.</translation>
    </message>
    <message>
        <source>We could not find that ticket. Check it, or leave it blank.</source>
        <translation>لم نجد هذه التذكرة. تحقق منها أو اترك الخانة فارغة.</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>نعم</translation>
    </message>
    <message>
        <source>Your answers have been recorded.</source>
        <translation>تم تسجيل إجاباتك.</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation>راضٍ جداً</translation>
    </message>
    <message>
        <source>Fairly satisfied</source>
        <translation>راضٍ إلى حد ما</translation>
    </message>
    <message>
        <source>Neither satisfied nor dissatisfied</source>
        <translation>لا راضٍ ولا غير راضٍ</translation>
    </message>
    <message>
        <source>Fairly dissatisfied</source>
        <translation>غير راضٍ إلى حد ما</translation>
    </message>
    <message>
        <source>Very dissatisfied</source>
        <translation>غير راضٍ أبداً</translation>
    </message>
    <message>
        <source>Was your query fully resolved during your visit today?</source>
        <translation>هل تم حل استفسارك بالكامل خلال زيارتك اليوم؟</translation>
    </message>
    <message>
        <source>How satisfied were you with the Customer Service Advisor who helped you?</source>
        <translation>ما مدى رضاك عن موظف خدمة العملاء الذي ساعدك؟</translation>
    </message>
    <message>
        <source>How satisfied were you with your whole experience today?</source>
        <translation>ما مدى رضاك عن تجربتك كاملة اليوم؟</translation>
    </message>
    <message>
        <source>Did you feel you were treated fairly?</source>
        <translation>هل شعرت بأنك عوملت بإنصاف؟</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>مسافة</translation>
    </message>
    <message>
        <source>Working offline: your ticket is valid and you will be called.</source>
        <translation>نعمل دون اتصال: تذكرتك صالحة وسيتم النداء على رقمك.</translation>
    </message>
    <message>
        <source>Please take a seat: we will call your number.</source>
        <translation>يرجى الجلوس: سننادي على رقمك.</translation>
    </message>
    <message>
        <source>Please go to the reception desk</source>
        <translation>يرجى التوجه إلى مكتب الاستقبال</translation>
    </message>
    <message>
        <source>The kiosk cannot call reception just now. Staff at the desk will help you.</source>
        <translation>لا يستطيع الجهاز الاتصال بالاستقبال الآن. سيساعدك الموظفون في مكتب الاستقبال.</translation>
    </message>
    <message>
        <source>We cannot look up bookings just now. Reception will check you in.</source>
        <translation>لا يمكننا البحث عن الحجوزات الآن. سيسجل الاستقبال وصولك.</translation>
    </message>
    <message>
        <source>Check-in is not available just now</source>
        <translation>تسجيل الوصول غير متاح الآن</translation>
    </message>
    <message>
        <source>Please go to the reception desk: staff there will check you in.</source>
        <translation>يرجى التوجه إلى مكتب الاستقبال: سيسجل الموظفون هناك وصولك.</translation>
    </message>
    <message>
        <source>Working offline and the printer is not working: your number is on screen.</source>
        <translation>نعمل دون اتصال والطابعة لا تعمل: رقمك على الشاشة.</translation>
    </message>
    <message>
        <source>Working offline: please check in at the reception desk.</source>
        <translation>نعمل دون اتصال: يرجى تسجيل الوصول في مكتب الاستقبال.</translation>
    </message>
    <message>
        <source>Working offline: your answers are kept and sent later.</source>
        <translation>نعمل دون اتصال: سنحفظ إجاباتك ونرسلها لاحقاً.</translation>
    </message>
    <message>
        <source>Sorry, your answers could not be recorded just now.</source>
        <translation>عذراً، تعذر حفظ إجاباتك الآن.</translation>
    </message>
</context>
</TS>
